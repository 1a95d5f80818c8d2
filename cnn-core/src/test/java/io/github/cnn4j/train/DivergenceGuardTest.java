package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The divergence guard names the step, the layer and the value, and never lets a checkpoint hold a non-finite weight. */
class DivergenceGuardTest {
    private static final Shape IMAGE = Shape.of(1, 8, 8);

    private static Sequential net() {
        return Sequential.of(new Conv(3, 3, 2), new ReLU(), new MaxPool(2), new Flatten(), new Dense(3), new Softmax())
                .input(IMAGE).seed(1).build();
    }

    @Test
    void anOverflowingSampleNamesTheFirstLayerWhoseOutputIsNotFinite() {
        float[] images = TestData.uniform(new Rng(3), 20 * 64, 0, 1);
        Arrays.fill(images, 7 * 64, 8 * 64, 3e38f); // finite pixels whose weighted sum overflows float32
        Dataset data = new Dataset(images, new int[20], IMAGE, 3);
        Sequential m = net();
        // positive first-layer weights, so that nine taps of 3e38 overflow whatever the initializer drew
        Arrays.fill(m.layers().get(0).parameters().get(0).value(), 0.5f);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(m).shuffle(ShuffleMode.NONE).build().fit(data));
        assertTrue(e.getMessage().contains("epoch 1, step 7"), e.getMessage());
        assertTrue(e.getMessage().contains("output of layer 0 Conv(3x3, 2 filters) for training sample 7"), e.getMessage());
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
        assertEquals(1, e.epoch());
        assertEquals(7, e.step());
        assertEquals(0, e.layer());
        assertTrue(Double.isInfinite(e.value()));
        // the failed step left no gradients behind (they were NaN) and its weights untouched
        for (Layer layer : m.layers()) {
            for (Parameter p : layer.parameters()) {
                for (float g : p.grad()) {
                    assertEquals(0f, g, "gradient of " + p + " after the failed step");
                }
                for (float v : p.value()) {
                    assertTrue(Float.isFinite(v), "weight of " + p + " after the failed step");
                }
            }
        }
    }

    @Test
    void aNonFiniteWeightBehindANonFiniteLossIsNamedFirst() {
        Dataset data = TestData.random(10, IMAGE, 3, 4);
        Sequential m = net();
        TrainingListener blowUp = new TrainingListener() {
            @Override
            public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
                if (samplesInEpoch == 3) {
                    Arrays.fill(m.layers().get(4).parameters().get(0).value(), Float.POSITIVE_INFINITY); // as an overflowing update would
                }
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(m).shuffle(ShuffleMode.NONE).listener(blowUp).build().fit(data));
        assertTrue(e.getMessage().contains("at epoch 1, step 3"), e.getMessage());
        assertTrue(e.getMessage().contains("first non-finite value: parameter weight(18, 3) of layer 4 Dense(3), value 0 is Infinity"),
                e.getMessage());
        assertEquals(4, e.layer());
    }

    @Test
    void aWeightThatTurnsNanIsCaughtBeforeTheNextCheckpointOrBlock() {
        Dataset data = TestData.random(60, IMAGE, 3, 5);
        Sequential m = net();
        List<TrainingState> saved = new ArrayList<>();
        TrainingListener corrupt = new TrainingListener() {
            @Override
            public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
                if (samplesInEpoch == 25) {
                    m.layers().get(4).parameters().get(1).value()[2] = Float.NaN; // Dense bias
                }
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder(m)
                .shuffle(ShuffleMode.NONE).checkpoints(saved::add).checkpointEvery(5).listener(corrupt).build().fit(data));
        assertTrue(e.getMessage().contains("parameter bias(3) of layer 4 Dense(3) became non-finite: value 2 is NaN, found after epoch 1, step 24"),
                e.getMessage());
        assertEquals(List.of(5, 10, 15, 20), saved.stream().map(TrainingState::position).toList(), "no checkpoint after the NaN");
        // without checkpoints, the block report catches it
        Sequential m2 = net();
        TrainingListener corrupt2 = new TrainingListener() {
            @Override
            public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
                if (samplesInEpoch == 12) {
                    m2.layers().get(0).parameters().get(0).value()[0] = Float.POSITIVE_INFINITY;
                }
            }
        };
        List<BlockStats> blocks = new ArrayList<>();
        TrainingListener blockLog = new TrainingListener() {
            @Override
            public void onBlock(BlockStats block) {
                blocks.add(block);
            }
        };
        TrainingDivergedException e2 = assertThrows(TrainingDivergedException.class, () -> Trainer.builder(m2).blockSize(12)
                .shuffle(ShuffleMode.NONE).listener(corrupt2).listener(blockLog).build().fit(data));
        assertTrue(e2.getMessage().contains("of layer 0 Conv(3x3, 2 filters) became non-finite: value 0 is Infinity"), e2.getMessage());
        assertTrue(blocks.isEmpty(), "the block with the bad weight is not reported: " + blocks);
    }
}
