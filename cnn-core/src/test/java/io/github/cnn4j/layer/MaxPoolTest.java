package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.Layers;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MaxPoolTest {

    /** Runs forward then backward; returns {output, input gradient}. */
    private static float[][] run(MaxPool pool, Shape in, int batch, float[] x, float[] dy) {
        Tensor tin = TestData.tensor(in, batch, batch, x);
        Tensor out = new Tensor(pool.outputShape(in), batch);
        LayerContext ctx = new LayerContext(pool.parameters());
        pool.forward(tin, out, ctx);
        Tensor gOut = TestData.tensor(out.shape(), batch, batch, dy);
        Tensor gIn = new Tensor(in, batch);
        Arrays.fill(gIn.data(), 99f);
        pool.backward(tin, out, gOut, gIn, ctx);
        return new float[][] {out.data().clone(), gIn.data().clone()};
    }

    @Test
    void tiesGoToTheFirstMaximumInRowMajorOrder() {
        float[] x = {
            5, 5, 1, 2,
            1, 5, 3, 3,
            -4, -3, 0, 0,
            -2, -1, 0, 0,
        };
        float[][] r = run(new MaxPool(2), Shape.of(1, 4, 4), 1, x, new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {5, 3, -1, 0}, r[0], 0f);
        float[] expected = new float[16];
        expected[0] = 1;   // three 5s: the top-left one wins
        expected[6] = 2;   // two 3s on one row: the left one
        expected[13] = 3;  // all negative: the max is -1, not 0
        expected[10] = 4;  // all zero: the first one
        assertArrayEquals(expected, r[1], 0f, "each window's gradient goes to its first maximum only");
    }

    @Test
    void nonDividingSizesDropTheLastRowsAndColumns() {
        assertEquals(Shape.of(6, 9, 9), new MaxPool(3).outputShape(Shape.of(6, 28, 28)));
        assertEquals(Shape.of(1, 2, 3), new MaxPool(2).outputShape(Shape.of(1, 5, 7)));
        float[] x = new float[25];
        for (int i = 0; i < 25; i++) {
            x[i] = i % 5 == 4 || i >= 20 ? 100 : i;   // the dropped row and column hold the largest values
        }
        float[][] r = run(new MaxPool(2), Shape.of(1, 5, 5), 1, x, new float[] {1, 1, 1, 1});
        assertArrayEquals(new float[] {6, 8, 16, 18}, r[0], 0f);
        float[] expected = new float[25];
        expected[6] = 1;
        expected[8] = 1;
        expected[16] = 1;
        expected[18] = 1;
        assertArrayEquals(expected, r[1], 0f, "the dropped row/column get zero gradient");
    }

    @Test
    void twentyEightPooledByThreeIsNine() {
        float[] x = new float[28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 37) % 101;
        }
        float[][] r = run(new MaxPool(3), Shape.of(1, 28, 28), 1, x, new float[81]);
        assertEquals(81, new MaxPool(3).outputShape(Shape.of(1, 28, 28)).size());
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int u = 0; u < 3; u++) {
                    for (int v = 0; v < 3; v++) {
                        m = Math.max(m, x[(3 * i + u) * 28 + 3 * j + v]);
                    }
                }
                assertEquals(m, r[0][i * 9 + j], "window " + i + "," + j);
            }
        }
    }

    @Test
    void sizeOneIsTheIdentity() {
        float[] x = {3, -1, 2, 0, 5, -7};
        float[] dy = {1, 2, 3, 4, 5, 6};
        float[][] r = run(new MaxPool(1), Shape.of(2, 1, 3), 1, x, dy);
        assertArrayEquals(x, r[0], 0f);
        assertArrayEquals(dy, r[1], 0f);
    }

    @Test
    void batchesUseTheirOwnSwitches() {
        float[] x = {1, 9, 2, 3, /* sample 2 */ 8, 1, 2, 3};
        float[][] r = run(new MaxPool(2), Shape.of(1, 2, 2), 2, x, new float[] {10, 20});
        assertArrayEquals(new float[] {9, 8}, r[0], 0f);
        assertArrayEquals(new float[] {0, 10, 0, 0, 20, 0, 0, 0}, r[1], 0f);
    }

    @Test
    void nanInAWindowPropagates() {
        // A NaN anywhere in a window must not be skipped: otherwise a poisoned activation disappears
        // silently and training cannot detect it.
        float[] x = {1, 2, 3, Float.NaN, /* */ Float.NaN, 1, 2, 3};
        float[][] r = run(new MaxPool(2), Shape.of(2, 2, 2), 1, x, new float[] {1, 1});
        assertTrue(Float.isNaN(r[0][0]), "NaN in the last position of a window: " + r[0][0]);
        assertTrue(Float.isNaN(r[0][1]), "NaN in the first position of a window: " + r[0][1]);
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> new MaxPool(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaxPool(3).outputShape(Shape.of(1, 2, 8)));
        assertTrue(e.getMessage().contains("3x3") && e.getMessage().contains("(1, 2, 8)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool(2).outputShape(Shape.of(16)));
        assertEquals("MaxPool(2x2)", new MaxPool(2).name());
    }

    // ---------------------------------------------------------------- gradient check property

    record Case(int size, int c, int h, int w, int batch, int extraCapacity, List<Integer> ranks, float[] r) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 9),
                Arbitraries.integers().between(1, 9), Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 2))
                .as((s, c, h, w, b, extra) -> new int[] {s, c, h, w, b, extra})
                .filter(a -> a[0] <= a[2] && a[0] <= a[3])
                .flatMap(a -> {
                    int n = a[4] * a[1] * a[2] * a[3];
                    List<Integer> ids = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        ids.add(i);
                    }
                    int outN = a[4] * a[1] * (a[2] / a[0]) * (a[3] / a[0]);
                    return Combinators.combine(Arbitraries.shuffle(ids), Layers.floats(outN))
                            .as((perm, r) -> new Case(a[0], a[1], a[2], a[3], a[4], a[5], perm, r));
                });
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("cases") Case k) {
        // Distinct values 0.05 apart: no window has two values within 2 * eps, so the argmax is stable.
        float[] x = new float[k.ranks().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = k.ranks().get(i) * 0.05f - 5f;
        }
        Shape in = Shape.of(k.c(), k.h(), k.w());
        Tensor t = TestData.tensor(in, k.batch(), k.batch() + k.extraCapacity(), x);
        GradientCheck.checkLayer(new MaxPool(k.size()), t, k.r(), GradientCheck.Options.FLOAT32).assertOk(k.toString());
    }

    /** Inference keeps no switches (2 x 2 fast path); a backward pass after it finds them and gives the training result. */
    @Test
    void backwardAfterAnInferenceForwardEqualsTheTrainingPath() {
        io.github.cnn4j.random.Rng rng = new io.github.cnn4j.random.Rng(9);
        Shape s = Shape.of(3, 6, 8);
        int batch = 2;
        float[] x = new float[batch * s.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(4);
        }
        float[] g = new float[batch * 3 * 3 * 4];
        for (int i = 0; i < g.length; i++) {
            g[i] = 1 + rng.nextInt(9);
        }
        float[][] results = new float[2][];
        for (int training = 0; training < 2; training++) {
            MaxPool pool = new MaxPool(2);
            LayerContext ctx = new LayerContext(pool.parameters());
            ctx.training(training == 1);
            Tensor in = TestData.tensor(s, batch, batch, x);
            Tensor out = new Tensor(pool.outputShape(s), batch);
            pool.forward(in, out, ctx);
            Tensor dx = new Tensor(s, batch);
            pool.backward(in, out, TestData.tensor(pool.outputShape(s), batch, batch, g), dx, ctx);
            results[training] = dx.data().clone();
        }
        assertArrayEquals(results[1], results[0], 0f);
    }
}
