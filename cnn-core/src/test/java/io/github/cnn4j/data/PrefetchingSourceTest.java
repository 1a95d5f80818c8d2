package io.github.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class PrefetchingSourceTest {
    private static final Shape SHAPE = Shape.of(1, 4, 4);

    @Test
    void readsAheadOnWorkerThreadsAndGivesTheSameValues() {
        Dataset mem = TestData.random(200, SHAPE, 3, 8);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        LazySource lazy = new LazySource(SHAPE, mem.labels(), mem.classNames(), (i, dst, off) -> {
            threads.add(Thread.currentThread().getName());
            mem.copyImage(i, dst, off);
        }, 1);
        try (PrefetchingSource pre = new PrefetchingSource(lazy, 2, 32)) {
            Dataset d = Dataset.of(pre).shuffled(new Rng(3));
            Dataset m = mem.shuffled(new Rng(3));
            float[] x = new float[10 * SHAPE.size()];
            float[] y = new float[10 * SHAPE.size()];
            int[] l = new int[10];
            for (int from = 0; from < 200; from += 10) {
                d.copyBatch(from, 10, x, l);
                m.copyBatch(from, 10, y, l);
                assertArrayEquals(y, x, 0f, "batch at " + from);
                assertTrue(pre.pendingCount() <= 32);
            }
        }
        assertTrue(threads.stream().anyMatch(n -> n.startsWith("cnn4j-prefetch-")), "decoded on the prefetch threads: " + threads);
    }

    @Test
    void aFailureOnAWorkerReachesTheReader() {
        LazySource bad = new LazySource(SHAPE, new int[20], ClassNames.numbered(1), (i, dst, off) -> {
            if (i == 5) {
                throw new UncheckedIOException(new IOException("broken.png: not an image"));
            }
        }, 1);
        try (PrefetchingSource pre = new PrefetchingSource(bad, 1, 8)) {
            pre.prefetch(null, 0, 20);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> pre.copySample(5, new float[16], 0));
            assertTrue(e.getMessage().contains("broken.png"));
        }
    }

    @Test
    void afterCloseReadsStillWork() {
        Dataset mem = TestData.random(20, SHAPE, 2, 1);
        PrefetchingSource pre = new PrefetchingSource(mem, 1, 4);
        pre.prefetch(null, 0, 20);
        pre.close();
        float[] v = new float[16];
        pre.copySample(3, v, 0);
        assertArrayEquals(mem.image(3), v, 0f);
        assertEquals(0, pre.pendingCount());
    }
}
