package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.MemoryCost;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingState;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the writers produce, the readers accept: no writer spends more than
 * {@link JsonLimits#MAX_WRITTEN_BYTES_PER_VALUE} bytes a value, so a model within
 * {@link JsonLimits#maxWritableValues()} always makes files within the readers' size limit; beyond it
 * the writers refuse before writing.
 */
class WriterLimitsTest {
    @TempDir
    Path dir;

    /** A paper model (conv blocks, a hidden layer) whose every weight has the longest decimal form. */
    private static Sequential longestValues() {
        Sequential m = Sequential.of(new Conv(3, 3, 4), new ReLU(), new MaxPool(2), new Conv(3, 3, 4), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(12), new Sigmoid(), new Dense(10), new Softmax()).input(1, 28, 28).seed(1).build();
        for (Parameter p : m.parameters()) {
            Arrays.fill(p.value(), -1.17549435E-38f); // "-1.17549435E-38": 15 characters
        }
        return m;
    }

    @Test
    void everyFormatStaysWithinTheBytesPerValueTheLimitAssumes() throws IOException {
        Sequential m = longestValues();
        long values = MemoryCost.of(m).parameterCount();
        Path paper = dir.resolve("paper.json");
        PaperFormat.writeModel(paper, m, new TrainingSettings(1, 0.1, 1, "x"), 1);
        Path nat = dir.resolve("native.json");
        NativeModelFormat.write(nat, m);
        List<TrainingState> states = new ArrayList<>();
        float[] px = new float[20 * 784];
        Trainer.builder(m).optimizer(new Sgd(1e-30)).keepBest(true).checkpoints(states::add).testSet(
                new Dataset(px, new int[20], Shape.of(1, 28, 28), 10)).build().fit(new Dataset(px, new int[20], Shape.of(1, 28, 28), 10));
        Path ckpt = dir.resolve("run.ckpt");
        CheckpointFormat.write(ckpt, m, states.get(states.size() - 1), Map.of());
        for (Path f : List.of(paper, nat, ckpt)) {
            double perValue = (double) Files.size(f) / values;
            assertTrue(perValue <= JsonLimits.MAX_WRITTEN_BYTES_PER_VALUE, f.getFileName() + ": " + perValue + " bytes a value");
        }
        assertTrue((double) Files.size(paper) / values > 20, "the paper format is the costly one: " + Files.size(paper));
    }

    @Test
    void aModelBeyondTheWritableLimitIsRefusedBeforeWriting() {
        JsonLimits small = new JsonLimits(48_000, 1L << 28, 64, 100);
        assertEquals(1000, small.maxWritableValues());
        small.requireWritable("m.json", 1000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.requireWritable("m.json", 1001));
        assertEquals("cannot write m.json: the model has 1001 parameter values, its file could exceed the readers' limit of 48000 bytes "
                + "(at most 1000 values)", e.getMessage());
        assertEquals((1L << 30) / 48, JsonLimits.DEFAULT.maxWritableValues());
    }

    @Test
    void aConfigWhoseModelFilesWouldBeUnreadableIsRefusedWhenRead() throws IOException {
        // model A has 13,610 parameters: readable under limits allowing 20,000, refused under limits allowing 10,000
        Path cfg = dir.resolve("a.json");
        Files.writeString(cfg, "{\"seed\": 1, \"learning_rate\": 0.05, \"epochs\": 1, \"output_filename\": \"A\", \"convolutional_layers\": "
                + "[{\"kernel_count\": 2, \"kernel_dim\": 3, \"padding\": 0, \"pooling_dim\": 2}], \"fully_connected_layers\": [{\"node_count\": 40}]}");
        long params = PaperFormat.readConfig(cfg).buildModel().parameterCount();
        PaperFormat.readConfig(cfg, new JsonLimits(48 * params, 1L << 28, 64, 100));
        io.github.cnn4j.io.FormatException e = assertThrows(io.github.cnn4j.io.FormatException.class,
                () -> PaperFormat.readConfig(cfg, new JsonLimits(48 * params - 48, 1L << 28, 64, 100)));
        assertTrue(e.getMessage().contains("the architecture has " + params + " parameters: the model files a run writes could exceed"),
                e.getMessage());
    }
}
