package io.github.cnn4j.io.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.GlobalAvgPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A residual network with a frozen stem checkpoints to a file and resumes from it bit for bit. */
class CompositeCheckpointTest {
    private static final Shape IMAGE = Shape.of(1, 6, 6);

    private static Dataset data() {
        Rng rng = new Rng(4);
        float[] x = new float[80 * IMAGE.size()];
        int[] y = new int[80];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(3);
        }
        return new Dataset(x, y, IMAGE, 3);
    }

    private static Sequential net() {
        return Sequential.of(new Conv(3, 3, 3).padding(1), new ReLU(),
                        new Residual(new Block(new Conv(3, 3, 4).padding(1).stride(2), new BatchNorm(), new ReLU())),
                        new GlobalAvgPool(), new Dense(3), new Softmax())
                .input(IMAGE).seed(2).init(InitPreset.MODERN).build().frozen(true, 0);
    }

    private static Trainer.Builder trainer(Sequential m) {
        return Trainer.builder(m).optimizer(new Adam(0.01)).batchSize(20).threads(2).epochs(2).shuffle(ShuffleMode.FULL).seed(9);
    }

    @Test
    void resumingFromTheFileEndsBitIdentical(@TempDir Path dir) throws IOException {
        Dataset train = data();
        Sequential ref = net();
        List<TrainingState> states = new ArrayList<>();
        trainer(ref).checkpoints(states::add).checkpointEvery(20).build().fit(train);
        TrainingState mid = states.get(states.size() / 2);
        Path file = dir.resolve("run.ckpt");
        CheckpointFormat.write(file, net(), mid, Map.of());
        Checkpoint c = CheckpointFormat.read(file);
        assertTrue(c.model().layers().get(2) instanceof Residual, "the model in the file is residual");
        assertEquals(ref.trainableParameters().size(), c.state().optimizer().slots().get("m").length, "no state for the frozen stem");
        Sequential resumed = net();
        trainer(resumed).build().fit(train, c.state());
        for (int i = 0; i < ref.parameters().size(); i++) {
            assertArrayEquals(ref.parameters().get(i).value(), resumed.parameters().get(i).value(), 0f, "parameter " + i);
        }
        for (int i = 0; i < ref.state().size(); i++) {
            assertArrayEquals(ref.state().get(i).value(), resumed.state().get(i).value(), 0f, "state " + i);
        }
    }
}
