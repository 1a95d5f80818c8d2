import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Builds model B, saves it in the native format, reads it back and checks that both predict the same. */
public class RoundTrip {
    public static void main(String[] args) throws Exception {
        Sequential model = Sequential.of(
                new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
                new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(10), new Softmax())
            .input(1, 28, 28).seed(555124141).build();
        Random r = new Random(1);
        float[] images = new float[16 * 28 * 28];
        for (int i = 0; i < images.length; i++) {
            images[i] = r.nextFloat();
        }
        Dataset data = new Dataset(images, new int[16], Shape.of(1, 28, 28), 10);
        Path file = Files.createTempFile("consumer-io", ".json");
        NativeModelFormat.write(file, model);
        Sequential back = NativeModelFormat.read(file);
        Files.delete(file);
        if (!Arrays.equals(model.predict(data, 1), back.predict(data, 1))) {
            throw new AssertionError("the model read back predicts differently");
        }
        System.out.println("consumer-io: model B saved, read back and run: identical predictions for 16 images");
    }
}
