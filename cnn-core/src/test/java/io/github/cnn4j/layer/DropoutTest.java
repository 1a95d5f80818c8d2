package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.Layers;
import io.github.cnn4j.testing.TestData;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DropoutTest {

    private static LayerContext training(long... seeds) {
        LayerContext ctx = new LayerContext(java.util.List.of());
        ctx.training(true);
        ctx.noise(seeds, 3);
        return ctx;
    }

    private static float[] forward(Dropout d, Shape s, int batch, float[] x, LayerContext ctx) {
        Tensor in = TestData.tensor(s, batch, batch, x);
        Tensor out = new Tensor(s, batch);
        d.forward(in, out, ctx);
        return Arrays.copyOf(out.data(), out.length());
    }

    @Test
    void isTheIdentityAtInference() {
        Dropout d = new Dropout(0.5);
        float[] x = TestData.uniform(new Rng(1), 40, -1, 1);
        LayerContext ctx = new LayerContext(java.util.List.of());
        assertArrayEquals(x, forward(d, Shape.of(20), 2, x, ctx), 0f);
        Tensor dx = new Tensor(Shape.of(20), 2);
        d.backward(TestData.tensor(Shape.of(20), 2, 2, x), TestData.tensor(Shape.of(20), 2, 2, x),
                TestData.tensor(Shape.of(20), 2, 2, x), dx, ctx);
        assertArrayEquals(x, dx.data(), 0f);
        assertEquals(0, d.parameters().size());
        assertEquals(Shape.of(3, 4, 4), d.outputShape(Shape.of(3, 4, 4)));
        assertEquals("Dropout(0.5)", d.name());
    }

    @Test
    void dropsAboutTheRateAndScalesTheSurvivors() {
        Dropout d = new Dropout(0.3);
        float[] ones = new float[10_000];
        Arrays.fill(ones, 1f);
        float[] y = forward(d, Shape.of(10_000), 1, ones, training(42));
        int dropped = 0;
        for (float v : y) {
            if (v == 0f) {
                dropped++;
            } else {
                assertEquals(1 / 0.7f, v, 1e-6f);
            }
        }
        assertEquals(3000, dropped, 150, "dropped " + dropped + " of 10000 at rate 0.3");
    }

    @Test
    void masksDependOnlyOnTheSampleSeeds() {
        Dropout d = new Dropout(0.5);
        Shape s = Shape.of(64);
        float[] x = TestData.uniform(new Rng(2), 3 * 64, 0.5, 1);
        float[] a = forward(d, s, 3, x, training(7, 8, 9));
        float[] b = forward(d, s, 3, x, training(7, 8, 9));
        assertArrayEquals(a, b, 0f, "same seeds, same masks");
        // Sample seeded 8 gives the same mask wherever it sits in the batch.
        float[] alone = forward(d, s, 1, Arrays.copyOfRange(x, 64, 128), training(8));
        assertArrayEquals(Arrays.copyOfRange(a, 64, 128), alone, 0f);
        float[] c = forward(d, s, 3, x, training(7, 10, 9));
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, 64, 128), Arrays.copyOfRange(c, 64, 128)), "another seed, another mask");
        // The layer's salt separates layers: salt 4 instead of 3 changes the mask.
        LayerContext other = training(7, 8, 9);
        other.noise(new long[] {7, 8, 9}, 4);
        assertFalse(Arrays.equals(a, forward(d, s, 3, x, other)));
    }

    @Test
    void backwardUsesTheForwardMask() {
        Dropout d = new Dropout(0.5);
        Shape s = Shape.of(32);
        float[] x = TestData.uniform(new Rng(3), 32, 0.5, 1);
        LayerContext ctx = training(11);
        Tensor in = TestData.tensor(s, 1, 1, x);
        Tensor out = new Tensor(s, 1);
        d.forward(in, out, ctx);
        float[] dy = TestData.uniform(new Rng(4), 32, -1, 1);
        Tensor dx = new Tensor(s, 1);
        d.backward(in, out, TestData.tensor(s, 1, 1, dy), dx, ctx);
        for (int i = 0; i < 32; i++) {
            assertEquals(out.data()[i] == 0f ? 0f : 2f * dy[i], dx.data()[i], 1e-6f);
        }
    }

    @Test
    void rejectsBadRates() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
        float[] x = {1, 2, 3};
        assertArrayEquals(x, forward(new Dropout(0), Shape.of(3), 1, x, training(1)), 0f, "rate 0 drops nothing");
    }

    record Case(Shape shape, int batch, double rate, long seed, float[] x, float[] r) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Layers.shapes(), Arbitraries.integers().between(1, 3), Arbitraries.doubles().between(0, 0.8),
                        Arbitraries.longs())
                .as((s, b, p, seed) -> new Object[] {s, b, p, seed})
                .flatMap(a -> {
                    Shape s = (Shape) a[0];
                    int b = (Integer) a[1];
                    return Combinators.combine(Layers.floats(b * s.size()), Layers.floats(b * s.size()))
                            .as((x, r) -> new Case(s, b, (Double) a[2], (Long) a[3], x, r));
                });
    }

    @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferencesInTraining(@ForAll("cases") Case k) {
        Dropout d = new Dropout(k.rate());
        long[] seeds = new long[k.batch()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = k.seed() + i;
        }
        Tensor in = TestData.tensor(k.shape(), k.batch(), k.batch(), k.x());
        GradientCheck.checkLayer(d, in, k.r(), GradientCheck.Options.FLOAT32, () -> training(seeds)).assertOk(k.toString());
    }
}
