import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.train.Trainer;
import java.nio.file.Path;

public class QuickStart {
    public static void main(String[] args) throws Exception {
        MnistData mnist = MnistFetcher.builder(MnistVariant.MNIST).build().load(); // fetched once, then cached
        Sequential model = Sequential.of(
                new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
                new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(10), new Softmax())
            .input(1, 28, 28)      // channels, height, width
            .seed(555124141)
            .build();              // infers every shape, initializes parameters
        System.out.println(model.summary());
        Trainer.builder(model).optimizer(new Sgd(0.01)).epochs(3).batchSize(1)
            .testSet(mnist.test()).keepBest(true).build().fit(mnist.train());
        System.out.println(Evaluation.of(model, mnist.test(), 2).toTable(null));
        NativeModelFormat.write(Path.of("model-b.json"), model);
    }
}
