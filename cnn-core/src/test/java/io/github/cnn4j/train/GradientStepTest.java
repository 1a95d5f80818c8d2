package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Gradients;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The step API: gradient sums of a batch into a buffer, then the optimizer; the trainer is exactly
 * these calls, and chunk sums folded in chunk order (the distributed recipe) give the same bits.
 */
class GradientStepTest {
    private static final long SEED = 41;

    private static Sequential net() {
        return Sequential.of(new Conv(3, 3, 3).padding(1), new ReLU(), new MaxPool(2), new Flatten(), new Dense(6), new ReLU(),
                new Dropout(0.25), new Dense(2), new Softmax()).input(1, 12, 12).seed(7).build();
    }

    private static float[][] values(List<Parameter> ps) {
        float[][] v = new float[ps.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = ps.get(i).value().clone();
        }
        return v;
    }

    private static float[][] arrays(Gradients g) {
        float[][] v = new float[g.parameters().size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = g.array(i).clone();
        }
        return v;
    }

    /** Two epochs of the trainer (no shuffle, batch 40 = 3 chunks) against the same steps made by hand. */
    @Test
    void theTrainerIsExactlyGradientsThenApply() {
        Dataset data = TestData.bars(120, 12, 0.3, 3);
        RandomAffine aug = new RandomAffine(1, 8);
        Sequential viaTrainer = net();
        Trainer.builder(viaTrainer).optimizer(new Adam(0.01)).batchSize(40).epochs(2).threads(2).seed(SEED)
                .shuffle(ShuffleMode.NONE).augmentation(aug).build().fit(data);

        Sequential byHand = net();
        Adam adam = new Adam(0.01);
        Gradients sums = Gradients.allocate(byHand.parameters());
        try (GradientStep step = new GradientStep(byHand, new CrossEntropy(), SEED, aug, 3, 40)) {
            for (int epoch = 1; epoch <= 2; epoch++) {
                for (int from = 0; from < data.size(); from += 40) {
                    sums.zero();
                    step.gradients(data, from, 40, epoch, from, sums);
                    GradientStep.apply(adam, sums, 40);
                }
            }
        }
        float[][] expected = values(viaTrainer.parameters());
        float[][] actual = values(byHand.parameters());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], "parameter " + i);
        }
        for (Parameter p : byHand.parameters()) {
            for (float g : p.grad()) {
                assertEquals(0f, g, "apply leaves the gradients zeroed");
            }
        }
    }

    /** What a distributed trainer does: each chunk into its own zeroed buffer, possibly elsewhere, then folded in order. */
    @Test
    void chunkSumsFoldedInChunkOrderEqualTheBatchSumBitForBit() {
        Dataset data = TestData.bars(70, 12, 0.3, 5);
        int batch = 53; // chunks of 16, 16, 16, 5
        Sequential model = net();
        Gradients whole = Gradients.allocate(model.parameters());
        double wholeLoss;
        try (GradientStep step = new GradientStep(model, new CrossEntropy(), SEED, null, 2, batch)) {
            wholeLoss = step.gradients(data, 10, batch, 3, 10, whole);
        }
        // the "executors": one model copy each, batch-1 pools, the data of their own chunks only
        Gradients folded = Gradients.allocate(model.parameters());
        double foldedLoss = 0;
        for (int c = 0; c * GradientStep.CHUNK < batch; c++) {
            int start = 10 + c * GradientStep.CHUNK;
            int m = Math.min(GradientStep.CHUNK, 10 + batch - start);
            Sequential executor = model.copy();
            Gradients chunk = Gradients.allocate(executor.parameters());
            Dataset own = data.subset(start, start + m);
            try (GradientStep step = new GradientStep(executor, new CrossEntropy(), SEED, null, 1, GradientStep.CHUNK)) {
                foldedLoss += step.gradients(own, 0, m, 3, start, chunk);
            }
            for (int i = 0; i < chunk.parameters().size(); i++) {
                float[] src = chunk.array(i);
                float[] dst = folded.array(i);
                for (int k = 0; k < src.length; k++) {
                    dst[k] += src[k];
                }
            }
        }
        float[][] a = arrays(whole);
        float[][] b = arrays(folded);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "gradient " + i);
        }
        assertEquals(wholeLoss, foldedLoss);
        // dropout is seeded by position: another position gives other sums
        Gradients moved = Gradients.allocate(model.parameters());
        try (GradientStep step = new GradientStep(model, new CrossEntropy(), SEED, null, 1, batch)) {
            step.gradients(data, 10, batch, 3, 11, moved);
        }
        assertFalse(java.util.Arrays.equals(a[0], arrays(moved)[0]), "the noise follows the position");
    }

    @Test
    void sameSumsForOneTwoAndThreeThreads() {
        Dataset data = TestData.bars(64, 12, 0.3, 8);
        float[][] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            Sequential model = net();
            Gradients g = Gradients.allocate(model.parameters());
            try (GradientStep step = new GradientStep(model, new CrossEntropy(), SEED, new RandomAffine(1, 5), threads, 64)) {
                step.gradients(data, 0, 64, 1, 0, g);
            }
            float[][] now = arrays(g);
            if (first == null) {
                first = now;
            } else {
                for (int i = 0; i < now.length; i++) {
                    assertArrayEquals(first[i], now[i], threads + " threads, gradient " + i);
                }
            }
        }
    }

    /**
     * The chunk reduction runs sliced on the workers: for one to four threads (more slices than some
     * arrays have elements) the sums added onto non-zero buffers equal the chunk sums computed one
     * by one and folded serially in chunk order, bit for bit.
     */
    @Test
    void slicedReductionOnAllWorkersHasTheBitsOfTheSerialChunkOrderFold() {
        Dataset data = TestData.bars(120, 12, 0.3, 9);
        int batch = 100; // six chunks of 16 and one of 4
        Sequential model = net();
        Gradients start = Gradients.allocate(model.parameters());
        for (int i = 0; i < start.parameters().size(); i++) {
            float[] a = start.array(i);
            for (int k = 0; k < a.length; k++) {
                a[k] = 0.001f * ((k * 37 + i * 11) % 23 - 11);
            }
        }
        Gradients expected = Gradients.allocate(model.parameters());
        start.addTo(expected);
        for (int c = 0; c * GradientStep.CHUNK < batch; c++) {
            int from = 5 + c * GradientStep.CHUNK;
            int m = Math.min(GradientStep.CHUNK, 5 + batch - from);
            Gradients chunk = Gradients.allocate(model.parameters());
            try (GradientStep step = new GradientStep(model, new CrossEntropy(), SEED, new RandomAffine(1, 5), 1, GradientStep.CHUNK)) {
                step.gradients(data, from, m, 2, from, chunk);
            }
            chunk.addTo(expected);
        }
        for (int threads = 1; threads <= 4; threads++) {
            Gradients actual = Gradients.allocate(model.parameters());
            start.addTo(actual);
            try (GradientStep step = new GradientStep(model, new CrossEntropy(), SEED, new RandomAffine(1, 5), threads, batch)) {
                step.gradients(data, 5, batch, 2, 5, actual);
            }
            for (int i = 0; i < expected.parameters().size(); i++) {
                assertArrayEquals(expected.array(i), actual.array(i), threads + " threads, gradient " + i);
            }
        }
    }

    @Test
    void refusesBatchesOutsideItsCapacityOrTheData() {
        Dataset data = TestData.bars(20, 12, 0.3, 8);
        Sequential model = net();
        Gradients g = Gradients.shared(model.parameters());
        try (GradientStep step = new GradientStep(model, new CrossEntropy(), SEED, null, 1, 8)) {
            assertThrows(IllegalArgumentException.class, () -> step.gradients(data, 0, 9, 1, 0, g));
            assertThrows(IllegalArgumentException.class, () -> step.gradients(data, 15, 8, 1, 15, g));
            assertThrows(IllegalArgumentException.class, () -> step.gradients(data, 0, 0, 1, 0, g));
        }
        assertThrows(IllegalArgumentException.class, () -> new GradientStep(model, new CrossEntropy(), SEED, null, 0, 8));
    }
}
