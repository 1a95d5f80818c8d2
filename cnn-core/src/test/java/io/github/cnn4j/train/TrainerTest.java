package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.init.Constant;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.loss.MeanSquaredError;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.model.Workspace;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final Shape IMAGE = Shape.of(1, 8, 8);

    private static Sequential net(long seed) {
        return Sequential.of(
                        new Conv(3, 3, 3).padding(1), new ReLU(), new MaxPool(2),
                        new Flatten(), new Dense(8), new Sigmoid(), new Dense(3), new Softmax())
                .input(IMAGE)
                .seed(seed)
                .build();
    }

    private static float[][] weights(Sequential m) {
        float[][] w = new float[m.parameters().size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = m.parameters().get(i).value().clone();
        }
        return w;
    }

    private static boolean identical(float[][] a, float[][] b) {
        for (int i = 0; i < a.length; i++) {
            if (!Arrays.equals(a[i], b[i])) {
                return false;
            }
        }
        return a.length == b.length;
    }

    private static Sequential fit(long modelSeed, int threads, int batch, Supplier<Optimizer> opt, ShuffleMode mode,
                                  Long trainerSeed, int epochs, Dataset data) {
        Sequential m = net(modelSeed);
        Trainer.Builder b = Trainer.builder(m).threads(threads).batchSize(batch).optimizer(opt.get()).shuffle(mode).epochs(epochs);
        if (trainerSeed != null) {
            b.seed(trainerSeed);
        }
        b.build().fit(data);
        return m;
    }

    // ---------------------------------------------------------------- determinism

    @Test
    void sameSeedSameWeightsBeforeAndAfterTraining() {
        Dataset data = TestData.random(100, IMAGE, 3, 1);
        assertTrue(identical(weights(net(5)), weights(net(5))));
        float[][] a = weights(fit(5, 1, 4, () -> new Sgd(0.1), ShuffleMode.FULL, null, 2, data));
        float[][] b = weights(fit(5, 1, 4, () -> new Sgd(0.1), ShuffleMode.FULL, null, 2, data));
        assertTrue(identical(a, b));
        assertFalse(identical(a, weights(net(5))), "training changed nothing");
        assertFalse(identical(a, weights(fit(6, 1, 4, () -> new Sgd(0.1), ShuffleMode.FULL, null, 2, data))), "model seed ignored");
        assertFalse(identical(a, weights(fit(5, 1, 4, () -> new Sgd(0.1), ShuffleMode.FULL, 99L, 2, data))),
                "the trainer's shuffle seed changes the order, hence the weights");
    }

    @Test
    void batchesLargerThanAChunkGiveBitIdenticalWeightsForOneTwoAndThreeThreads() {
        // 100 samples in batches of 40: chunks of 16+16+8, then a last batch of 20 (16+4)
        Dataset data = TestData.random(100, IMAGE, 3, 2);
        assertTrue(40 > Trainer.CHUNK);
        for (Supplier<Optimizer> opt : List.<Supplier<Optimizer>>of(() -> new Sgd(0.5), () -> new Adam(0.01))) {
            float[][] one = weights(fit(7, 1, 40, opt, ShuffleMode.FULL, null, 2, data));
            float[][] two = weights(fit(7, 2, 40, opt, ShuffleMode.FULL, null, 2, data));
            float[][] three = weights(fit(7, 3, 40, opt, ShuffleMode.FULL, null, 2, data));
            assertTrue(identical(one, two), "1 vs 2 threads, " + opt.get().name());
            assertTrue(identical(one, three), "1 vs 3 threads, " + opt.get().name());
            assertFalse(identical(one, weights(net(7))));
        }
        // small batches run on the calling thread whatever the thread count
        assertTrue(identical(weights(fit(7, 1, 8, () -> new Sgd(0.1), ShuffleMode.FULL, null, 1, data)),
                weights(fit(7, 3, 8, () -> new Sgd(0.1), ShuffleMode.FULL, null, 1, data))));
    }

    @Test
    void chunkedStepsEqualPlainFullBatchGradientSteps() {
        // 85 samples in batches of 40: two chunked steps (16+16+8) and a last step of 5 on the calling thread
        Dataset data = TestData.random(85, IMAGE, 3, 3);
        Sequential trained = fit(8, 2, 40, () -> new Sgd(0.5), ShuffleMode.NONE, null, 1, data);
        Sequential manual = net(8);
        Workspace ws = manual.newWorkspace(40);
        Sgd sgd = new Sgd(0.5);
        for (int from = 0; from < 85; from += 40) {
            int bs = Math.min(40, 85 - from);
            data.copyBatch(from, bs, ws.input().data(), ws.labels());
            manual.forward(ws, bs, true);
            manual.backward(ws, new CrossEntropy(), false);
            sgd.step(manual.parameters(), bs);
        }
        float[][] a = weights(trained);
        float[][] b = weights(manual);
        float[][] start = weights(net(8));
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[i].length; k++) {
                assertEquals(b[i][k], a[i][k], 1e-5, "parameter " + i + "[" + k + "]");
            }
            assertFalse(Arrays.equals(start[i], a[i]), "parameter " + i + " was not updated");
        }
    }

    // ---------------------------------------------------------------- shuffling

    @Test
    void paperShuffleKeepsTheFileOrderInTheFirstEpochOnly() {
        Dataset data = TestData.random(50, IMAGE, 3, 4);
        float[][] none1 = weights(fit(9, 1, 1, () -> new Sgd(0.1), ShuffleMode.NONE, null, 1, data));
        float[][] paper1 = weights(fit(9, 1, 1, () -> new Sgd(0.1), ShuffleMode.PAPER, null, 1, data));
        float[][] full1 = weights(fit(9, 1, 1, () -> new Sgd(0.1), ShuffleMode.FULL, null, 1, data));
        assertTrue(identical(none1, paper1));
        assertFalse(identical(none1, full1));
        float[][] none2 = weights(fit(9, 1, 1, () -> new Sgd(0.1), ShuffleMode.NONE, null, 2, data));
        float[][] paper2 = weights(fit(9, 1, 1, () -> new Sgd(0.1), ShuffleMode.PAPER, null, 2, data));
        assertFalse(identical(none2, paper2), "PAPER swaps positions after the first epoch");
    }

    // ---------------------------------------------------------------- divergence

    private static Sequential poolNet(long seed) {
        // 1x1 kernels: a NaN pixel stays in one position, so max pooling must not drop it
        return Sequential.of(new Conv(1, 1, 2), new ReLU(), new MaxPool(2), new Flatten(), new Dense(3), new Softmax())
                .input(IMAGE).seed(seed).build();
    }

    @Test
    void aNanSampleStopsTrainingNamingEpochAndStep() {
        float[] images = TestData.uniform(new Rng(10), 20 * 64, 0, 1);
        int[] labels = new int[20];
        Dataset data = new Dataset(images, labels, IMAGE, 3);
        images[5 * 64 + 9] = Float.NaN;   // sample 5, pixel (1, 1): the last cell of a 2x2 pool window
        Sequential m = poolNet(1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(m).shuffle(ShuffleMode.NONE).batchSize(1).build().fit(data));
        assertTrue(e.getMessage().contains("epoch 1, step 5"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        // the step that saw the NaN did not update: the weights are those after samples 0..4
        Sequential ref = poolNet(1);
        Trainer.builder(ref).shuffle(ShuffleMode.NONE).batchSize(1).build().fit(data.subset(0, 5));
        assertTrue(identical(weights(ref), weights(m)));
    }

    @Test
    void aNanSampleInAChunkedBatchIsCaught() {
        float[] images = TestData.uniform(new Rng(11), 100 * 64, 0, 1);
        Dataset data = new Dataset(images, new int[100], IMAGE, 3);
        Arrays.fill(images, 70 * 64, 71 * 64, Float.NaN);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(net(1)).shuffle(ShuffleMode.NONE).batchSize(32).threads(2).build().fit(data));
        assertTrue(e.getMessage().contains("epoch 1, step 2"), e.getMessage());
    }

    @Test
    void divergenceInALaterEpochNamesThatEpoch() {
        float[] images = TestData.uniform(new Rng(12), 30 * 64, 0, 1);
        Dataset data = new Dataset(images, new int[30], IMAGE, 3);
        TrainingListener poison = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats epoch) {
                if (epoch.epoch() == 2) {
                    images[17 * 64] = Float.POSITIVE_INFINITY;
                }
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(net(1)).shuffle(ShuffleMode.NONE).batchSize(4).epochs(5).listener(poison).build().fit(data));
        assertTrue(e.getMessage().contains("epoch 3, step 4"), e.getMessage());
    }

    @Test
    void anInfiniteLossAlsoStopsTraining() {
        // finite but huge pixels overflow float32 in a dense layer with positive weights: z = +Inf, MSE = +Inf
        float[] images = TestData.uniform(new Rng(13), 10 * 64, 0, 1);
        Arrays.fill(images, 3 * 64, 4 * 64, 1e38f);
        Dataset data = new Dataset(images, new int[10], IMAGE, 3);
        Sequential m = Sequential.of(new Flatten(), new Dense(3).weightInit(new Constant(0.5f))).input(IMAGE).seed(1).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(m).loss(new MeanSquaredError()).optimizer(new Sgd(1e-4)).shuffle(ShuffleMode.NONE)
                        .build().fit(data));
        assertTrue(e.getMessage().contains("Infinity") && e.getMessage().contains("epoch 1, step 3"), e.getMessage());
    }

    // ---------------------------------------------------------------- best epoch

    private static final class Sabotage implements TrainingListener {
        private final Sequential model;
        private final int n;
        float[][] afterEpoch1;

        Sabotage(Sequential model, int n) {
            this.model = model;
            this.n = n;
        }

        @Override
        public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
            if (epoch == 2 && samplesInEpoch == n) {
                // wreck the output layer just before epoch 2 is evaluated: it then predicts class 0 only
                Dense out = (Dense) model.layers().get(4);
                Arrays.fill(out.weight().value(), 0f);
                out.bias().set(new float[] {1, 0});
            }
        }

        @Override
        public void onEpoch(EpochStats epoch) {
            if (epoch.epoch() == 1) {
                afterEpoch1 = weights(model);
            }
        }
    }

    private static Sequential barsNet() {
        return Sequential.of(new Conv(3, 3, 4), new ReLU(), new MaxPool(2), new Flatten(), new Dense(2), new Softmax())
                .input(1, 12, 12).seed(3).build();
    }

    @Test
    void bestEpochIsTheMostAccurateOneWithOrWithoutKeepBest() {
        Dataset train = TestData.bars(300, 12, 0.3, 1);
        Dataset test = TestData.bars(200, 12, 0.3, 2);
        for (boolean keepBest : new boolean[] {false, true}) {
            Sequential m = barsNet();
            Sabotage s = new Sabotage(m, train.size());
            TrainingResult r = Trainer.builder(m).optimizer(new Sgd(0.05)).epochs(2).testSet(test).keepBest(keepBest)
                    .listener(s).build().fit(train);
            EpochStats e1 = r.epochs().get(0);
            EpochStats e2 = r.epochs().get(1);
            assertTrue(e1.testAccuracy() > 0.85 && e2.testAccuracy() < e1.testAccuracy() - 0.2, e1 + " / " + e2);
            assertEquals(1, r.bestEpoch(), "keepBest " + keepBest + ": " + r);
            assertEquals(e1.testAccuracy(), r.bestAccuracy(), "keepBest " + keepBest);
            assertTrue(e1.best());
            assertFalse(e2.best(), "epoch 2 is worse, keepBest " + keepBest);
            if (keepBest) {
                assertTrue(identical(s.afterEpoch1, weights(m)), "keepBest restores the weights of epoch 1");
                assertEquals(e1.testAccuracy(), Evaluation.of(m, test, 1).accuracy());
            } else {
                assertEquals(e2.testAccuracy(), Evaluation.of(m, test, 1).accuracy(), "without keepBest the last weights stay");
            }
        }
    }

    // ---------------------------------------------------------------- listeners and stats

    @Test
    void listenersSeeStartStepsBlocksEpochsAndEnd() {
        Dataset data = TestData.random(100, IMAGE, 3, 5);
        List<String> events = new ArrayList<>();
        List<BlockStats> blocks = new ArrayList<>();
        double[] stepLossSum = new double[3];
        int[] lastSamples = new int[3];
        TrainingResult[] end = new TrainingResult[1];
        TrainingListener l = new TrainingListener() {
            @Override
            public void onStart(int epochs, int samplesPerEpoch) {
                events.add("start " + epochs + " " + samplesPerEpoch);
            }

            @Override
            public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
                int bs = samplesInEpoch - lastSamples[epoch];
                assertTrue(bs == 8 || (bs == 4 && samplesInEpoch == 100), "step of " + bs);
                lastSamples[epoch] = samplesInEpoch;
                stepLossSum[epoch] += meanLoss * bs;
            }

            @Override
            public void onBlock(BlockStats block) {
                blocks.add(block);
            }

            @Override
            public void onEpoch(EpochStats epoch) {
                events.add("epoch " + epoch.epoch());
                assertEquals(stepLossSum[epoch.epoch()] / 100, epoch.trainLoss(), 1e-9);
                assertTrue(Double.isNaN(epoch.testAccuracy()) && Double.isNaN(epoch.testLoss()));
            }

            @Override
            public void onEnd(TrainingResult result) {
                events.add("end");
                end[0] = result;
            }
        };
        TrainingResult r = Trainer.builder(net(2)).batchSize(8).epochs(2).blockSize(30).listener(l).build().fit(data);
        assertEquals(List.of("start 2 100", "epoch 1", "epoch 2", "end"), events);
        assertNotNull(end[0]);
        assertEquals(r, end[0]);
        assertEquals(2, r.epochs().size());
        assertEquals(2, r.bestEpoch(), "without a test set the last epoch is reported");
        assertEquals(100, lastSamples[1]);
        assertEquals(100, lastSamples[2]);
        // steps of 8 (and 4 at the end of an epoch) are summed into blocks of at least 30 samples
        // (96 + 4 left over from epoch 1, then 4 + 8 * 4 = 36 in epoch 2, ...)
        assertEquals(List.of(32L, 64L, 96L, 132L, 164L, 196L), blocks.stream().map(BlockStats::samplesSeen).toList());
        assertEquals(List.of(32, 32, 32, 36, 32, 32), blocks.stream().map(BlockStats::samples).toList());
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(i + 1, blocks.get(i).block());
            assertTrue(blocks.get(i).meanLoss() > 0 && Double.isFinite(blocks.get(i).meanLoss()));
        }
    }

    // ---------------------------------------------------------------- validation

    @Test
    void rejectsBadSettings() {
        Sequential m = net(1);
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).epochs(0));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).threads(0));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).blockSize(0));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).keepBest(true).build());
        Dataset wrong = TestData.random(5, Shape.of(1, 4, 4), 3, 1);
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).testSet(wrong).build());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).build().fit(wrong));
        Dataset empty = TestData.random(5, IMAGE, 3, 1).subset(0, 0);
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).build().fit(empty));
        assertThrows(NullPointerException.class, () -> Trainer.builder(null));
    }
}
