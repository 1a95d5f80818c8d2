package io.github.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A {@link Dataset} over a {@link SampleSource} reads the same as the in-memory dataset it mirrors. */
class SourceDatasetTest {
    private static final Shape SHAPE = Shape.of(1, 3, 4);

    private static LazySource lazyOf(Dataset d, AtomicInteger reads) {
        return new LazySource(d.shape(), d.labels(), d.classNames(), (i, dst, off) -> {
            reads.incrementAndGet();
            d.copyImage(i, dst, off);
        }, 42);
    }

    @Test
    void viewsOfASourceReadLikeViewsOfTheArray() {
        Dataset mem = TestData.random(50, SHAPE, 4, 3);
        Dataset src = Dataset.of(lazyOf(mem, new AtomicInteger()));
        assertFalse(src.inMemory());
        assertEquals(mem.size(), src.size());
        assertArrayEquals(mem.labels(), src.labels());
        assertArrayEquals(mem.classCounts(), src.classCounts());
        Dataset a = mem.shuffled(new Rng(9)).subset(5, 45);
        Dataset b = src.shuffled(new Rng(9)).subset(5, 45);
        float[] x = new float[40 * SHAPE.size()];
        float[] y = new float[40 * SHAPE.size()];
        int[] la = new int[40];
        int[] lb = new int[40];
        a.copyBatch(0, 40, x, la);
        b.copyBatch(0, 40, y, lb);
        assertArrayEquals(x, y, 0f);
        assertArrayEquals(la, lb);
        assertArrayEquals(a.image(7), b.image(7), 0f);
        assertSame(src, Dataset.of(src));
    }

    @Test
    void fingerprintFollowsOrderLabelsAndContentHashWithoutReadingSamples() {
        Dataset mem = TestData.random(30, SHAPE, 3, 4);
        AtomicInteger reads = new AtomicInteger();
        Dataset d = Dataset.of(lazyOf(mem, reads));
        long fp = d.fingerprint();
        assertEquals(0, reads.get(), "fingerprint reads no sample");
        assertEquals(fp, Dataset.of(lazyOf(mem, reads)).fingerprint());
        assertEquals(fp, d.subset(0, 30).fingerprint());
        assertNotEquals(fp, d.select(new int[] {1, 0}).fingerprint());
        assertNotEquals(fp, d.subset(0, 29).fingerprint());
        Dataset other = Dataset.of(new LazySource(SHAPE, mem.labels(), mem.classNames(), mem::copyImage, 43));
        assertNotEquals(fp, other.fingerprint(), "content hash");
    }

    @Test
    void classNamesTravelWithViews() {
        Dataset d = TestData.random(10, SHAPE, 2, 1).withClassNames(ClassNames.of("no", "yes"));
        assertEquals("yes", d.subset(2, 5).classNames().name(1));
        assertEquals("no", d.shuffled(new Rng(1)).classNames().name(0));
        assertThrows(IllegalArgumentException.class, () -> d.withClassNames(ClassNames.of("a", "b", "c")));
        assertTrue(d.toString().contains("[no, yes]"), d.toString());
    }

    @Test
    void outOfRangeLabelsOfASourceAreRejected() {
        SampleSource bad = new SampleSource() {
            public int size() {
                return 2;
            }

            public Shape shape() {
                return SHAPE;
            }

            public ClassNames classNames() {
                return ClassNames.numbered(2);
            }

            public int label(int i) {
                return i * 5;
            }

            public void copySample(int i, float[] dst, int off) {
            }

            public long contentHash() {
                return 0;
            }
        };
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dataset.of(bad)).getMessage().contains("label of sample 1 is 5"));
    }

    @Test
    void aFailingReadReachesTheCallerWithItsMessage() {
        Dataset d = Dataset.of(new LazySource(SHAPE, new int[] {0, 1}, ClassNames.numbered(2), (i, dst, off) -> {
            throw new UncheckedIOException(new IOException("img" + i + ".png: truncated"));
        }, 1));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> d.image(1));
        assertTrue(e.getMessage().contains("img1.png"));
    }
}
