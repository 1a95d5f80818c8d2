package io.github.cnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import io.github.cnn4j.train.TrainingResult;
import io.github.cnn4j.train.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark trainer against the single-machine trainer on real MNIST: same seed, same global batches,
 * the same weights bit for bit, on any number of partitions, after retried tasks and after a resume
 * on another number of partitions.
 */
class SparkGradientsTest {
    private static final int SAMPLES = 600;
    private static final int BATCH = 100; // 7 chunks: 6 of 16 and one of 4

    private static Sequential net() {
        return Sequential.of(new Conv(5, 5, 4), new ReLU(), new MaxPool(2), new Flatten(), new Dense(24), new ReLU(),
                new Dropout(0.25), new Dense(10), new Softmax()).input(1, 28, 28).seed(11).build();
    }

    private static Trainer.Builder trainer(Sequential model, int epochs) {
        return Trainer.builder(model).optimizer(new Adam(0.002)).batchSize(BATCH).epochs(epochs).seed(5)
                .augmentation(new RandomAffine(2, 10)).checkpointInterval(java.time.Duration.ZERO);
    }

    private static SparkGradients spark(int partitions, boolean exact) {
        return SparkGradients.builder(SparkTests.jsc()).partitions(partitions).augmentation(() -> new RandomAffine(2, 10))
                .exact(exact).build();
    }

    private static void assertSameWeights(Sequential expected, Sequential actual) {
        List<Parameter> e = expected.parameters();
        List<Parameter> a = actual.parameters();
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i).value(), a.get(i).value(), "parameter " + e.get(i) + " differs");
        }
    }

    private static List<Double> losses(TrainingResult r) {
        return r.epochs().stream().map(EpochStats::trainLoss).toList();
    }

    @Test
    void sparkEqualsTheLocalTrainerBitForBit() {
        Dataset train = SparkTests.train(SAMPLES);
        Sequential local = net();
        TrainingResult expected = trainer(local, 2).build().fit(train);

        for (int partitions : new int[] {2, 3}) {
            Sequential distributed = net();
            SparkGradients source = spark(partitions, true);
            TrainingResult actual = trainer(distributed, 2).stepGradients(source).build().fit(train);
            assertSameWeights(local, distributed);
            assertEquals(losses(expected), losses(actual), "per-epoch training losses with " + partitions + " partitions");
            assertEquals(2L * ((SAMPLES + BATCH - 1) / BATCH), source.steps(), "one Spark job per step");
        }
        // the run really trained: the loss fell
        assertTrue(losses(expected).get(1) < losses(expected).get(0), "loss did not fall: " + losses(expected));
    }

    /** Batch normalization normalizes per chunk on the executors; its statistics are recomputed on the driver. */
    @Test
    void batchNormalizationToo() {
        Dataset train = SparkTests.train(SAMPLES);
        java.util.function.Supplier<Sequential> bn = () -> Sequential.of(new Conv(5, 5, 4), new BatchNorm(), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(10), new Softmax()).input(1, 28, 28).seed(2).build();
        Sequential local = bn.get();
        trainer(local, 1).build().fit(train);
        Sequential distributed = bn.get();
        trainer(distributed, 1).stepGradients(spark(2, true)).build().fit(train);
        assertSameWeights(local, distributed);
        for (int i = 0; i < local.state().size(); i++) {
            assertArrayEquals(local.state().get(i).value(), distributed.state().get(i).value(), "running statistics " + i);
        }
    }

    @Test
    void partialSumsAgreeWithinRounding() {
        Dataset train = SparkTests.train(SAMPLES);
        Sequential local = net();
        trainer(local, 1).build().fit(train);
        Sequential partial = net();
        trainer(partial, 1).stepGradients(spark(2, false)).build().fit(train);
        double worst = 0;
        for (int i = 0; i < local.parameters().size(); i++) {
            float[] e = local.parameters().get(i).value();
            float[] a = partial.parameters().get(i).value();
            for (int k = 0; k < e.length; k++) {
                worst = Math.max(worst, Math.abs(e[k] - a[k]));
            }
        }
        // 6 Adam steps of at most lr = 0.002 each; rounding of the sums moves weights by far less
        assertTrue(worst < 1e-4, "partial reduction differs by " + worst);
    }

    @Test
    void retriedTasksGiveTheSameWeights() {
        Dataset train = SparkTests.train(SAMPLES);
        Sequential local = net();
        Trainer.builder(local).optimizer(new Adam(0.002)).batchSize(BATCH).epochs(1).seed(5).augmentation(new FlakyAffine(5))
                .build().fit(train);
        int before = FlakyAffine.FAILURES.get();
        Sequential distributed = net();
        Trainer.builder(distributed).optimizer(new Adam(0.002)).batchSize(BATCH).epochs(1).seed(5).augmentation(new FlakyAffine(5))
                .stepGradients(SparkGradients.builder(SparkTests.jsc()).partitions(2).augmentation(() -> new FlakyAffine(5)).build())
                .build().fit(train);
        assertTrue(FlakyAffine.FAILURES.get() - before >= 3, "too few injected failures: " + (FlakyAffine.FAILURES.get() - before));
        assertSameWeights(local, distributed);
    }

    @Test
    void aCheckpointOfASparkRunResumesOnAnotherNumberOfPartitions(@TempDir Path dir) throws IOException {
        Dataset train = SparkTests.train(SAMPLES);
        Sequential local = net();
        TrainingResult expected = trainer(local, 2).build().fit(train);

        Path file = dir.resolve("run.ckpt");
        Sequential crashed = net();
        TrainingListener crash = new TrainingListener() {
            @Override
            public void onStep(int epoch, int position, double loss) {
                if (epoch == 2 && position >= 400) {
                    throw new IllegalStateException("simulated driver crash");
                }
            }
        };
        Trainer first = trainer(crashed, 2).checkpoints(CheckpointFormat.sink(file, crashed, Map.of())).checkpointEvery(300)
                .listener(crash).stepGradients(spark(2, true)).build();
        assertThrows(IllegalStateException.class, () -> first.fit(train));

        TrainingState state = CheckpointFormat.read(file).state();
        assertEquals(2, state.epoch());
        assertTrue(state.position() > 0 && state.position() < SAMPLES, "not a mid-epoch checkpoint: " + state);
        Sequential resumed = net();
        TrainingResult actual = trainer(resumed, 2).checkpoints(CheckpointFormat.sink(file, resumed, Map.of()))
                .checkpointEvery(300).stepGradients(spark(3, true)).build().fit(train, state);
        assertSameWeights(local, resumed);
        assertEquals(losses(expected), losses(actual));
    }
}
