package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.optim.WeightDecay;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The modern training features together: strided conv, batch norm, average pooling, dropout, weight
 * decay, a schedule, augmentation, a validation split and early stopping, and their determinism.
 */
class ModernTrainingTest {

    private static Sequential net(long seed) {
        return Sequential.of(
                        new Conv(3, 3, 4).padding(1), new BatchNorm(), new ReLU(), new MaxPool(2),        // (4, 6, 6)
                        new Conv(3, 3, 6).padding(1).stride(2), new BatchNorm(), new ReLU(), new AvgPool(3), // (6, 1, 1)
                        new Flatten(), new Dense(8), new BatchNorm(), new ReLU(), new Dropout(0.3), new Dense(2), new Softmax())
                .input(1, 12, 12).seed(seed).init(InitPreset.MODERN).build();
    }

    private static float[][] values(Sequential m) {
        List<Parameter> all = new ArrayList<>(m.parameters());
        all.addAll(m.state());
        float[][] w = new float[all.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = all.get(i).value().clone();
        }
        return w;
    }

    private static boolean identical(float[][] a, float[][] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!Arrays.equals(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private static Trainer.Builder modern(Sequential m, int threads, int epochs) {
        return Trainer.builder(m)
                .optimizer(new WeightDecay(new Adam(0.01), 1e-3))
                .batchSize(40)
                .epochs(epochs)
                .threads(threads)
                .schedule(LearningRateSchedule.cosine(epochs, 0.1))
                .augmentation(new RandomAffine(1, 10))
                .validationSplit(0.2);
    }

    @Test
    void everyFeatureTogetherIsBitIdenticalForOneTwoAndThreeThreads() {
        Dataset data = TestData.bars(200, 12, 0.3, 4);
        float[][] start = values(net(5));
        float[][] one = null;
        for (int threads = 1; threads <= 3; threads++) {
            Sequential m = net(5);
            TrainingResult r = modern(m, threads, 3).keepBest(true).build().fit(data);
            float[][] w = values(m);
            if (one == null) {
                one = w;
                assertFalse(identical(start, w), "training changed nothing");
                assertEquals(3, r.epochs().size());
                assertTrue(r.epochs().get(2).validationAccuracy() > 0.6, r.toString());
            } else {
                assertTrue(identical(one, w), "1 vs " + threads + " threads");
            }
        }
        // Each ingredient of the noise matters: another trainer seed gives other weights.
        Sequential other = net(5);
        modern(other, 2, 3).seed(99).keepBest(true).build().fit(data);
        assertFalse(identical(one, values(other)));
    }

    @Test
    void runningStatisticsArePopulationStatisticsComputedDeterministically() {
        Dataset data = TestData.bars(100, 12, 0.3, 5);
        Sequential a = net(6);
        Sequential b = net(6);
        BatchNormStatistics.recompute(a, data, 70, 1);
        BatchNormStatistics.recompute(b, data, 70, 3);
        assertTrue(identical(values(a), values(b)), "1 vs 3 threads");
        // The first batch norm sees the first conv's outputs: check its mean and variance directly.
        Conv conv = (Conv) a.layers().get(0);
        BatchNorm bn = (BatchNorm) a.layers().get(1);
        float[] x = new float[70 * 144];
        data.copyBatch(0, 70, x, new int[70]);
        io.github.cnn4j.tensor.Tensor in = TestData.tensor(a.inputShape(), 70, 70, x);
        io.github.cnn4j.tensor.Tensor out = new io.github.cnn4j.tensor.Tensor(a.shapes().get(1), 70);
        conv.forward(in, out, new io.github.cnn4j.layer.LayerContext(conv.parameters()));
        for (int c = 0; c < 4; c++) {
            double s = 0;
            double sq = 0;
            for (int n = 0; n < 70; n++) {
                for (int i = 0; i < 144; i++) {
                    double v = out.data()[n * 4 * 144 + c * 144 + i];
                    s += v;
                    sq += v * v;
                }
            }
            double mean = s / (70 * 144);
            assertEquals(mean, bn.runningMean().value()[c], 1e-5);
            assertEquals(sq / (70 * 144) - mean * mean, bn.runningVar().value()[c], 1e-5);
        }
        assertFalse(BatchNormStatistics.applies(Sequential.of(new Flatten(), new Dense(2), new Softmax()).input(1, 4, 4).build()));
    }

    @Test
    void theCopyOfAModelCarriesItsRunningStatistics() {
        Sequential a = net(7);
        BatchNormStatistics.recompute(a, TestData.bars(50, 12, 0.3, 6), 50, 2);
        Sequential c = a.copy();
        assertTrue(identical(values(a), values(c)));
        assertEquals(6, a.state().size(), "three batch norms, two arrays each");
        Dataset test = TestData.bars(30, 12, 0.3, 7);
        assertArrayEquals(a.predict(test, 1), c.predict(test, 2));
    }

    @Test
    void validationSplitIsSeededDisjointAndComplete() {
        Dataset data = TestData.random(50, io.github.cnn4j.tensor.Shape.of(1, 2, 2), 3, 1);
        ValidationSplit s = ValidationSplit.of(data, 0.2, 7);
        assertEquals(40, s.train().size());
        assertEquals(10, s.validation().size());
        Set<String> train = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            train.add(Arrays.toString(s.train().image(i)));
        }
        for (int i = 0; i < 10; i++) {
            assertFalse(train.contains(Arrays.toString(s.validation().image(i))), "validation sample " + i + " is also trained on");
        }
        ValidationSplit again = ValidationSplit.of(data, 0.2, 7);
        assertArrayEquals(s.validation().labels(), again.validation().labels());
        assertArrayEquals(s.validation().image(3), again.validation().image(3));
        assertFalse(Arrays.equals(s.validation().image(0), ValidationSplit.of(data, 0.2, 8).validation().image(0)), "another seed");
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(data, 0.6, 1));
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(data.subset(0, 1), 0.5, 1));
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestEpoch() {
        Dataset data = TestData.bars(160, 12, 0.3, 8);
        // A tiny learning rate after the first epochs: validation accuracy stalls, so training stops early.
        Sequential m = net(9);
        List<float[][]> after = new ArrayList<>();
        TrainingListener snap = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats epoch) {
                after.add(values(m));
            }
        };
        TrainingResult r = Trainer.builder(m).optimizer(new Adam(0.02)).batchSize(32).epochs(30)
                .schedule((epoch, base, history) -> epoch <= 2 ? base : 1e-7)
                .validationSplit(0.25).earlyStopping(2).keepBest(true).listener(snap).build().fit(data);
        int ran = r.epochs().size();
        assertTrue(ran < 30, "stopped early: " + ran + " epochs");
        assertEquals(ran, r.bestEpoch() + 2, "stops exactly `patience` epochs after the best one");
        EpochStats best = r.epochs().get(r.bestEpoch() - 1);
        assertTrue(best.best());
        assertEquals(best.validationAccuracy(), r.bestAccuracy());
        assertTrue(identical(after.get(r.bestEpoch() - 1), values(m)), "the best epoch's weights and statistics are restored");
        ValidationSplit split = ValidationSplit.of(data, 0.25, m.seed());
        Evaluation ev = Evaluation.of(m, split.validation(), 1);
        assertEquals(best.validationAccuracy(), ev.accuracy());
        assertEquals(best.validationLoss(), ev.meanLoss(), 1e-12);
        for (EpochStats e : r.epochs()) {
            assertTrue(Double.isNaN(e.testAccuracy()), "no test set was given");
        }
    }

    @Test
    void earlyStoppingNeedsAValidationSplitNotTheTestSet() {
        Sequential m = net(1);
        Dataset test = TestData.bars(20, 12, 0.3, 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(m).testSet(test).earlyStopping(3).build());
        assertTrue(e.getMessage().contains("validation split"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).validationSplit(0.7));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).earlyStopping(-1));
        Trainer.builder(m).validationSplit(0.1).keepBest(true).build(); // keepBest by validation needs no test set
    }

    /**
     * Checkpoints capture a run with batch norm, dropout, a schedule and augmentation: resuming from
     * any snapshot ends with the weights and running statistics of the uninterrupted run.
     */
    @Test
    void resumingWithBatchNormDropoutScheduleAndAugmentationIsBitIdentical() {
        Dataset data = TestData.bars(120, 12, 0.3, 4);
        Dataset test = TestData.bars(30, 12, 0.3, 8);
        java.util.function.Function<Sequential, Trainer.Builder> b = m -> Trainer.builder(m).optimizer(new Adam(0.01))
                .batchSize(20).epochs(3).threads(2).seed(77).testSet(test)
                .schedule(LearningRateSchedule.cosine(3, 0.1)).augmentation(new RandomAffine(1, 10));
        Sequential ref = net(5);
        List<TrainingState> states = new ArrayList<>();
        TrainingResult expected = b.apply(ref).checkpoints(states::add).checkpointEvery(40).build().fit(data);
        assertTrue(states.size() >= 6, states.size() + " snapshots");
        for (TrainingState st : states) {
            Sequential m = net(99);
            TrainingResult r = b.apply(m).build().fit(data, st);
            assertTrue(identical(values(ref), values(m)), "resumed from " + st);
            assertEquals(expected.bestEpoch(), r.bestEpoch());
            for (int i = 0; i < 3; i++) {
                assertEquals(expected.epochs().get(i).learningRate(), r.epochs().get(i).learningRate(), "rate of epoch " + (i + 1));
            }
        }
    }

    /** What a checkpoint cannot hold is refused up front, with the reason. */
    @Test
    void checkpointsRefuseWhatTheyCannotCapture() {
        Sequential m = net(1);
        Dataset test = TestData.bars(20, 12, 0.3, 9);
        CheckpointSink sink = s -> { };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(m).validationSplit(0.1).checkpoints(sink).build());
        assertTrue(e.getMessage().contains("validation split"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).testSet(test).keepBest(true).checkpoints(sink).build());
        assertTrue(e.getMessage().contains("keepBest") && e.getMessage().contains("batch normalization"), e.getMessage());
        List<TrainingState> states = new ArrayList<>();
        Dataset data = TestData.bars(40, 12, 0.3, 4);
        Trainer.builder(net(1)).optimizer(new Adam(0.01)).batchSize(20).checkpoints(states::add).build().fit(data);
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(net(1)).optimizer(new Adam(0.01)).batchSize(20).validationSplit(0.1).build().fit(data, states.get(0)));
        assertTrue(e.getMessage().startsWith("cannot resume") && e.getMessage().contains("validation split"), e.getMessage());
    }
}
