package io.github.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Shapes and determinism of every {@link Transform}, over random sizes and seeds. */
class TransformPropertiesTest {
    private static List<Transform> all(int c, int h, int w) {
        List<Transform> t = new ArrayList<>();
        t.add(new Resize(Math.max(1, h / 2 + 1), w + 3));
        t.add(new Resize(h * 3, Math.max(1, w / 3)));
        t.add(new CenterCrop(Math.max(1, h - 2), Math.max(1, w - 1)));
        t.add(new RandomCrop(h, w, 2));
        t.add(new RandomCrop(Math.max(1, h - 1), Math.max(1, w - 1), 0));
        t.add(new HorizontalFlip(0.5));
        t.add(new Normalize(new float[] {0.5f}, new float[] {0.25f}));
        t.add(new ConvertChannels(c == 1 ? 3 : 1));
        t.add(Pipeline.of(new Resize(h + 1, w + 1), new RandomCrop(h, w, 1), new HorizontalFlip(0.5)));
        t.add(Pipeline.of(new RandomAffine(1, 10)));
        return t;
    }

    @Property(tries = 60)
    void outputShapeIsExactlyWhatIsWrittenAndTheResultDependsOnlyOnTheSeed(
            @ForAll @IntRange(min = 0, max = 1) int rgb, @ForAll @IntRange(min = 3, max = 12) int h,
            @ForAll @IntRange(min = 3, max = 12) int w, @ForAll long seed) {
        int c = rgb == 1 ? 3 : 1;
        Shape in = Shape.of(c, h, w);
        float[] x = TestData.uniform(new Rng(seed), in.size(), 0, 1);
        for (Transform t : all(c, h, w)) {
            Shape out = t.outputShape(in);
            assertEquals(3, out.rank(), t.toString());
            // written at an offset, between NaN sentinels: exactly out.size() values, all finite
            float[] a = new float[out.size() + 10];
            Arrays.fill(a, Float.NaN);
            t.apply(x, 0, in, a, 5, seed);
            for (int i = 0; i < a.length; i++) {
                boolean inside = i >= 5 && i < 5 + out.size();
                assertEquals(inside, Float.isFinite(a[i]), t + " at " + i + " of " + out);
            }
            // the same seed from a copy at another offset, on another thread: bit-identical
            float[] shifted = new float[in.size() + 3];
            System.arraycopy(x, 0, shifted, 3, in.size());
            float[] b = new float[out.size()];
            Thread th = new Thread(() -> t.apply(shifted, 3, in, b, 0, seed));
            th.start();
            try {
                th.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertArrayEquals(Arrays.copyOfRange(a, 5, 5 + out.size()), b, 0f, t.toString());
        }
    }

    @Property(tries = 40)
    void flippingTwiceIsTheIdentityAndResizeToTheSameSizeCopies(@ForAll @IntRange(min = 1, max = 9) int h,
            @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        Shape in = Shape.of(2, h, w);
        float[] x = TestData.uniform(new Rng(seed), in.size(), -1, 1);
        float[] once = new float[in.size()];
        float[] twice = new float[in.size()];
        new HorizontalFlip(1).apply(x, 0, in, once, 0, seed);
        new HorizontalFlip(1).apply(once, 0, in, twice, 0, seed + 1);
        assertArrayEquals(x, twice, 0f);
        for (int r = 0; r < 2 * h; r++) {
            assertEquals(x[r * w], once[r * w + w - 1], 0f);
        }
        float[] same = new float[in.size()];
        new Resize(h, w).apply(x, 0, in, same, 0, 0);
        assertArrayEquals(x, same, 0f);
    }

    @Property(tries = 40)
    void randomCropsAreWindowsOfThePaddedImage(@ForAll @IntRange(min = 2, max = 10) int size, @ForAll long seed) {
        Shape in = Shape.of(1, size, size);
        float[] x = new float[in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        float[] y = new float[in.size()];
        new RandomCrop(size, size, 2).apply(x, 0, in, y, 0, seed);
        // a shift: every non-zero output is the input at one common offset
        Integer d = null;
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0) {
                int src = (int) y[i] - 1;
                int dy = src / size - i / size;
                int dx = src % size - i % size;
                int code = (dy + 10) * 100 + dx + 10;
                assertTrue(d == null || d == code, "one shift per sample");
                assertTrue(Math.abs(dy) <= 2 && Math.abs(dx) <= 2);
                d = code;
            }
        }
    }

    @Property(tries = 20)
    void aRandomTransformVariesWithTheSeed(@ForAll long seed) {
        Shape in = Shape.of(1, 8, 8);
        float[] x = TestData.uniform(new Rng(1), 64, 0, 1);
        Transform t = Pipeline.of(new RandomCrop(8, 8, 3), new HorizontalFlip(0.5));
        int distinct = 0;
        float[] first = new float[64];
        t.apply(x, 0, in, first, 0, seed);
        for (int k = 1; k <= 8; k++) {
            float[] other = new float[64];
            t.apply(x, 0, in, other, 0, seed + k);
            distinct += Arrays.equals(first, other) ? 0 : 1;
        }
        // 98 equally likely outcomes (7 x 7 offsets, flipped or not): another seed repeats this one with
        // p = 1/98, so 5 repeats in 8 happen with p ~ 6e-9, while 3 (the old bound) came up in about 1 of
        // 5,000 seeds (measured over 20,000), which made the property fail now and then
        assertTrue(distinct >= 4, "8 other seeds gave only " + distinct + " different crops");
    }

    @Property(tries = 20)
    void normalizeAndChannelConversionValues(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        Shape rgb = Shape.of(3, n, n);
        float[] x = TestData.uniform(new Rng(seed), rgb.size(), 0, 1);
        float[] y = new float[rgb.size()];
        new Normalize(new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.5f, 2f, 4f}).apply(x, 0, rgb, y, 0, 0);
        int p = n * n;
        assertEquals((x[p] - 0.2f) * 0.5f, y[p], 1e-6f);
        float[] gray = new float[p];
        new ConvertChannels(1).apply(x, 0, rgb, gray, 0, 0);
        assertEquals(0.299f * x[0] + 0.587f * x[p] + 0.114f * x[2 * p], gray[0], 1e-6f);
        float[] back = new float[rgb.size()];
        new ConvertChannels(3).apply(gray, 0, Shape.of(1, n, n), back, 0, 0);
        assertArrayEquals(gray, Arrays.copyOfRange(back, 2 * p, 3 * p), 0f);
    }

    @Property(tries = 10)
    void resizeKeepsAConstantImageConstant(@ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40) int oh) {
        float[] x = new float[h * h];
        Arrays.fill(x, 0.75f);
        float[] y = new float[oh * oh];
        new Resize(oh, oh).apply(x, 0, Shape.of(1, h, h), y, 0, 0);
        for (float v : y) {
            assertEquals(0.75f, v, 1e-6f);
        }
    }

    @Property(tries = 5)
    void impossibleShapesAreRejectedWithTheReason(@ForAll @IntRange(min = 1, max = 4) int h) {
        Shape in = Shape.of(1, h, h);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CenterCrop(h + 1, h).outputShape(in)).getMessage()
                .contains("CenterCrop"));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0, 0}, new float[] {1, 1}).outputShape(in));
        assertThrows(IllegalArgumentException.class, () -> new Resize(4, 4).outputShape(Shape.of(16)));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
        assertFalse(Pipeline.of().outputShape(in) != in);
    }
}
