package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Divergence without NaN: runs stuck at the clipping bound, worse than guessing, or with exploding
 * weights stop with one report; healthy runs never trip the default guard.
 */
class DivergenceBoundsTest {
    private static final Shape IMAGE = Shape.of(1, 8, 8);

    /** A softmax regression whose class 0 is favoured by {@code bias0}; every label is 1 or 2, so it is confidently wrong. */
    private static Sequential biased(float bias0) {
        Sequential m = Sequential.of(new Flatten(), new Dense(3), new Softmax()).input(IMAGE).seed(2).build();
        m.layers().get(1).parameters().get(1).value()[0] = bias0;
        return m;
    }

    private static Dataset neverClassZero(int n) {
        Rng rng = new Rng(5);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = 1 + rng.nextInt(2);
        }
        return new Dataset(TestData.uniform(rng, n * IMAGE.size(), 0, 1), labels, IMAGE, 3);
    }

    /** Records what reached the listeners. */
    private static final class Recorder implements TrainingListener {
        final List<BlockStats> blocks = new ArrayList<>();
        final List<EpochStats> epochs = new ArrayList<>();

        @Override
        public void onBlock(BlockStats block) {
            blocks.add(block);
        }

        @Override
        public void onEpoch(EpochStats epoch) {
            epochs.add(epoch);
        }
    }

    @Test
    void aRunStuckAtTheClippingBoundStopsAtTheFirstBlockBeforeAnyReportOrCheckpoint() {
        Sequential m = biased(1000); // p(label) is about e^-1000: every loss is clipped at -ln(1e-9)
        Recorder rec = new Recorder();
        List<TrainingState> saved = new ArrayList<>();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder(m).blockSize(100).epochs(3)
                .testSet(neverClassZero(20)).keepBest(true).checkpoints(saved::add).checkpointEvery(150).listener(rec).build()
                .fit(neverClassZero(300)));
        assertTrue(e.getMessage().startsWith("loss stuck at the clipping bound: mean loss 20.7233 per sample over the 100 samples of "
                + "block 1, ending at epoch 1, step 99"), e.getMessage());
        assertTrue(e.getMessage().contains("largest weight: parameter bias(3) of layer 1 Dense(3), value 0 is 99"), e.getMessage());
        assertEquals(1, e.epoch());
        assertEquals(99, e.step());
        assertEquals(-Math.log(CrossEntropy.EPSILON), e.value(), 1e-9);
        assertTrue(rec.blocks.isEmpty() && rec.epochs.isEmpty(), "nothing reported");
        assertTrue(saved.isEmpty(), "no checkpoint");
        assertTrue(e.getMessage().indexOf('\n') < 0, "one line");
    }

    @Test
    void aRunWorseThanGuessingStopsOnceTwoThousandSamplesOfBlocksAllWere() {
        Sequential m = biased(6); // p(label) is small: a loss well above ln 3, far from the clipping bound
        Recorder rec = new Recorder();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder(m).optimizer(new Sgd(1e-4))
                .epochs(10).listener(rec).build().fit(neverClassZero(500)));
        assertTrue(e.getMessage().startsWith("loss worse than guessing: mean loss above 1.2085 in every one of blocks 1..8 (2000 samples "
                + "ending at epoch 4, step 499;"), e.getMessage());
        assertEquals(4, e.epoch());
        assertEquals(499, e.step());
        assertTrue(e.value() > 1.1 * Math.log(3) && e.value() < 0.5 * -Math.log(CrossEntropy.EPSILON), "the last block's mean loss: "
                + e.value());
        for (BlockStats b : rec.blocks) {
            assertTrue(b.meanLoss() > 1.1 * Math.log(3), "every block was worse than guessing: " + b);
        }
        assertEquals(7, rec.blocks.size());
        assertEquals(3, rec.epochs.size(), "epoch 4 is never reported");
        // the same run with the check off trains all ten epochs
        Trainer.builder(biased(6)).optimizer(new Sgd(1e-4)).epochs(10)
                .divergenceGuard(DivergenceGuard.defaults().withWorseThanGuess(Double.POSITIVE_INFINITY, 1)).build().fit(neverClassZero(500));
    }

    private static Sequential conv(long seed) {
        return Sequential.of(new Conv(3, 3, 4), new ReLU(), new MaxPool(2), new Flatten(), new Dense(2), new Softmax())
                .input(1, 12, 12).seed(seed).build();
    }

    private static float maxAbs(Sequential m) {
        float max = 0;
        for (Parameter p : m.parameters()) {
            for (float v : p.value()) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    @Test
    void explodingWeightsStopAtTheFirstBlockWhereAWeightIsPastTheBound() {
        Dataset data = TestData.bars(200, 12, 0.3, 4);
        // the reference run without bounds: after which step does a weight first pass 1e4?
        Sequential ref = conv(3);
        int[] first = {-1};
        int[] steps = {0};
        TrainingListener watch = new TrainingListener() {
            @Override
            public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
                if (first[0] < 0 && maxAbs(ref) > DivergenceGuard.DEFAULT_MAX_WEIGHT) {
                    first[0] = steps[0];
                }
                steps[0]++;
            }
        };
        try {
            Trainer.builder(ref).optimizer(new Sgd(1e6)).blockSize(1).divergenceGuard(DivergenceGuard.nonFiniteOnly()).listener(watch)
                    .build().fit(data);
        } catch (TrainingDivergedException ignored) {
            // NaN later on is fine: the bound is passed long before
        }
        assertTrue(first[0] >= 0, "the reference run's weights passed the bound");

        Sequential m = conv(3);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(m).optimizer(new Sgd(1e6)).blockSize(1).build().fit(data));
        assertTrue(e.getMessage().contains("grew past the weight bound 10000.0"), e.getMessage());
        assertEquals(first[0], e.step());
        assertTrue(Math.abs(e.value()) > 1e4 && Double.isFinite(e.value()), "value " + e.value());
        assertTrue(e.layer() >= 0 && e.getMessage().contains("of layer " + e.layer() + " "), e.getMessage());
        assertTrue(Float.isFinite(maxAbs(m)), "stopped before anything became non-finite");
    }

    @Test
    void aStepPastTheLossBoundIsNotApplied() {
        Sequential m = conv(1);
        float[] before = m.parameters().get(0).value().clone();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder(m)
                .divergenceGuard(DivergenceGuard.defaults().withMaxLoss(0.01)).build().fit(TestData.bars(10, 12, 0.3, 1)));
        assertTrue(e.getMessage().contains("is past the loss bound 0.01 at epoch 1, step 0 (samples 0..0"), e.getMessage());
        assertArrayEquals(before, m.parameters().get(0).value());
    }

    /**
     * Healthy runs (a learnable task, learning rates from small to brisk, per-sample and mini-batch,
     * 2,400 samples so that every check has a full window) never trip the default guard, and the guard
     * only watches: the weights equal those of a run that checks for NaN only.
     */
    @Property(tries = 10)
    void healthyRunsNeverTripTheDefaultGuard(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int batchChoice,
                                             @ForAll boolean adam, @ForAll @DoubleRange(min = 0, max = 1) double rateChoice,
                                             @ForAll @IntRange(min = 1, max = 2) int threads) {
        int batch = new int[] {1, 8, 32}[batchChoice];
        double lr = adam ? 0.001 * Math.pow(10, rateChoice) : 0.005 * Math.pow(40, rateChoice); // Adam 0.001-0.01, SGD 0.005-0.2
        Dataset data = TestData.bars(300, 12, 0.3, seed);
        Dataset test = TestData.bars(60, 12, 0.3, seed + 1);
        java.util.function.Supplier<Optimizer> opt = () -> adam ? new Adam(lr) : new Sgd(lr);
        Sequential guarded = conv(seed);
        TrainingResult r = Trainer.builder(guarded).optimizer(opt.get()).batchSize(batch).threads(threads).epochs(8).blockSize(50)
                .testSet(test).seed(seed).build().fit(data);
        assertEquals(8, r.epochs().size());
        Sequential plain = conv(seed);
        Trainer.builder(plain).optimizer(opt.get()).batchSize(batch).threads(threads).epochs(8).blockSize(50).testSet(test).seed(seed)
                .divergenceGuard(DivergenceGuard.nonFiniteOnly()).build().fit(data);
        for (int i = 0; i < guarded.parameters().size(); i++) {
            assertArrayEquals(plain.parameters().get(i).value(), guarded.parameters().get(i).value(), "parameter " + i);
        }
    }
}
