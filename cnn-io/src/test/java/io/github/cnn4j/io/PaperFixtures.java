package io.github.cnn4j.io;

import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.io.json.PaperConfig;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.json.TrainingSettings;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Files in the paper's config and model formats, written by the tests themselves (for tests that
 * need <em>a</em> paper-format file, not the authors' trained ones): a model of the paper's family
 * with two 3x3 conv layers of 8 kernels, a sigmoid hidden layer of 12 and the softmax output,
 * initialized like the paper's (untrained).
 */
public final class PaperFixtures {
    /** The fixture's training settings (output_filename {@code CNN_T}). */
    public static final TrainingSettings SETTINGS = new TrainingSettings(4242, 0.01, 1000, "CNN_T");

    private PaperFixtures() {
    }

    /** @return the fixture model: Conv(3x3, 8) ReLU MaxPool(2) Conv(3x3, 8) ReLU MaxPool(2) Flatten Dense(12) Sigmoid Dense(10) Softmax */
    public static Sequential model() {
        return Sequential.of(new Conv(3, 3, 8), new ReLU(), new MaxPool(2), new Conv(3, 3, 8), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(12), new Sigmoid(), new Dense(10), new Softmax())
                .input(PaperConfig.INPUT).seed(SETTINGS.seed()).init(InitPreset.PAPER).build();
    }

    /**
     * @param file          target
     * @param trainedEpochs the {@code trained_epochs} field
     * @return the file, holding the fixture model in the paper's model format
     * @throws IOException when writing fails
     */
    public static Path writeModel(Path file, int trainedEpochs) throws IOException {
        PaperFormat.writeModel(file, model(), SETTINGS, trainedEpochs);
        return file;
    }

    /**
     * @param file target
     * @return the file, holding the fixture's config in the paper's config format
     * @throws IOException when writing fails
     */
    public static Path writeConfig(Path file) throws IOException {
        PaperFormat.writeConfig(file, PaperConfig.of(model(), SETTINGS));
        return file;
    }
}
