import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.file.Path;

/** Builds the paper's model B (seeded) and exports it to ONNX. */
public final class Export {
    private Export() {
    }

    static Sequential modelB() {
        return Sequential.of(
                new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
                new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(10), new Softmax())
            .input(1, 28, 28).seed(555124141).build();
    }

    public static void main(String[] args) throws IOException {
        OnnxExporter.write(Path.of(args[0]), modelB());
    }
}
