package io.github.cnn4j.examples.data;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.image.ImageFolder;
import io.github.cnn4j.io.image.ImageFolderWriter;
import io.github.cnn4j.io.json.InputSpec;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.ValidationSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worked example of {@code docs/data.md}: writes MNIST as PNG files in class folders, then trains
 * on the folders from Java (through the memory-mapped image cache) and tests on the test folder.
 *
 * <pre>java -cp cnn-examples/target/cnn4j.jar io.github.cnn4j.examples.data.MnistPngExample /tmp/mnist-png [epochs]</pre>
 */
public final class MnistPngExample {
    private MnistPngExample() {
    }

    /**
     * @param args the folder to write {@code train/} and {@code test/} in; optionally the epochs (default 3)
     * @throws IOException when reading or writing fails
     */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "mnist-png");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // 1. MNIST as PNG files: root/train/0/00001.png ... root/test/9/09999.png
        if (!Files.isDirectory(root.resolve("test"))) {
            Path idx = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
            ImageFolderWriter.write(MnistLoader.loadTrain(idx), root.resolve("train"));
            ImageFolderWriter.write(MnistLoader.loadTest(idx), root.resolve("test"));
        }
        // 2. The folders as datasets: decoded once into cache files, memory-mapped afterwards
        Dataset all = ImageFolder.builder(root.resolve("train")).size(28, 28).channels(1).build().cached(root.resolve("train.cache"));
        Dataset test = ImageFolder.builder(root.resolve("test")).size(28, 28).channels(1).build().cached(root.resolve("test.cache"));
        ValidationSplit split = ValidationSplit.of(all, 0.1, 1);
        // 3. Train and test as on any Dataset
        Sequential model = Sequential.of(
                        new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
                        new Conv(5, 5, 16), new ReLU(), new MaxPool(2),
                        new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(1).build();
        Trainer.builder(model).optimizer(new Adam(0.001)).batchSize(64).threads(2).epochs(epochs).shuffle(ShuffleMode.FULL)
                .testSet(split.validation()).keepBest(true).build().fit(split.train());
        Evaluation ev = Evaluation.of(model, test, 2);
        System.out.print(ev.toTable(test.classNames().toArray()));
        // 4. Save with the class names and input, for 'cnn4j test' and 'cnn4j predict'
        InputSpec spec = new InputSpec(all.classNames(), 1, 28, 28, "STRETCH", null, null);
        NativeModelFormat.write(root.resolve("model.json"), model, spec.toMetadata());
        System.out.println("Saved " + root.resolve("model.json"));
    }
}
