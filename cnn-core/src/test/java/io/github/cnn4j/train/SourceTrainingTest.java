package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.HorizontalFlip;
import io.github.cnn4j.data.LazySource;
import io.github.cnn4j.data.Pipeline;
import io.github.cnn4j.data.PrefetchingSource;
import io.github.cnn4j.data.RandomCrop;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Training from a lazily decoded, prefetched source with random crops and flips gives bit-identical
 * weights to training from the same samples in memory, on 1, 2 and 3 threads.
 */
class SourceTrainingTest {
    private static final Shape IMAGE = Shape.of(1, 8, 8);

    private static float[] train(Dataset data, int threads) {
        Sequential m = Sequential.of(new Conv(3, 3, 4).padding(1), new ReLU(), new MaxPool(2), new Flatten(), new Dense(3), new Softmax())
                .input(IMAGE).seed(3).build();
        Trainer.builder(m).threads(threads).batchSize(40).optimizer(new Adam(0.01)).shuffle(ShuffleMode.FULL).epochs(2).seed(11)
                .augmentation(Pipeline.of(new RandomCrop(8, 8, 2), new HorizontalFlip(0.5)).asAugmentation())
                .build().fit(data);
        float[] all = new float[0];
        for (var p : m.parameters()) {
            float[] v = p.value();
            float[] n = Arrays.copyOf(all, all.length + v.length);
            System.arraycopy(v, 0, n, all.length, v.length);
            all = n;
        }
        return all;
    }

    @Test
    void sameSeedSameWeightsFromAnySourceOnAnyThreadCount() {
        Dataset mem = TestData.random(120, IMAGE, 3, 6);
        float[] reference = train(mem, 1);
        for (int threads = 1; threads <= 3; threads++) {
            LazySource lazy = new LazySource(IMAGE, mem.labels(), mem.classNames(), mem::copyImage, 1);
            try (PrefetchingSource pre = new PrefetchingSource(lazy, 2, 64)) {
                assertArrayEquals(reference, train(Dataset.of(pre), threads), 0f, threads + " thread(s)");
            }
            assertArrayEquals(reference, train(mem, threads), 0f, "in memory, " + threads + " thread(s)");
        }
        Dataset other = TestData.random(120, IMAGE, 3, 7);
        assertFalse(Arrays.equals(reference, train(other, 1)), "the data matters");
    }
}
