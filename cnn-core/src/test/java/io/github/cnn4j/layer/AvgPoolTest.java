package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

class AvgPoolTest {

    @Test
    void averagesWindowsAndDropsTheRemainder() {
        AvgPool pool = new AvgPool(2);
        Shape in = Shape.of(1, 3, 5);
        float[] x = {
            1, 2, 3, 4, 100,
            5, 6, 7, 8, 100,
            100, 100, 100, 100, 100,
        };
        assertEquals(Shape.of(1, 1, 2), pool.outputShape(in));
        Tensor t = TestData.tensor(in, 1, 1, x);
        Tensor out = new Tensor(pool.outputShape(in), 1);
        LayerContext ctx = new LayerContext(pool.parameters());
        pool.forward(t, out, ctx);
        assertArrayEquals(new float[] {3.5f, 5.5f}, out.data(), 0f);
        Tensor dx = new Tensor(in, 1);
        Arrays.fill(dx.data(), 99f);
        pool.backward(t, out, TestData.tensor(out.shape(), 1, 1, new float[] {4, 8}), dx, ctx);
        assertArrayEquals(new float[] {
            1, 1, 2, 2, 0,
            1, 1, 2, 2, 0,
            0, 0, 0, 0, 0,
        }, dx.data(), 0f);
    }

    @Test
    void windowAsLargeAsTheInputIsGlobalAveragePooling() {
        float[] x = new float[2 * 4 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        float[] y = Layers.forward(new AvgPool(4), Shape.of(2, 4, 4), 1, x);
        assertArrayEquals(new float[] {7.5f, 23.5f}, y, 0f);
    }

    @Test
    void namesAndErrors() {
        assertEquals("AvgPool(3x3)", new AvgPool(3).name());
        assertEquals(Shape.of(6, 9, 9), new AvgPool(3).outputShape(Shape.of(6, 28, 28)));
        assertEquals(2L * 2 * 2 * 4, new AvgPool(2).flops(Shape.of(2, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool(0));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool(3).outputShape(Shape.of(1, 2, 8)));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool(2).outputShape(Shape.of(16)));
    }

    record Case(int size, int c, int h, int w, int batch, int extraCapacity, float[] x, float[] r) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 8),
                        Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 2))
                .as((s, c, h, w, b, extra) -> new int[] {s, c, h, w, b, extra})
                .filter(a -> a[0] <= a[2] && a[0] <= a[3])
                .flatMap(a -> Combinators.combine(Layers.floats(a[4] * a[1] * a[2] * a[3]),
                                Layers.floats(a[4] * a[1] * (a[2] / a[0]) * (a[3] / a[0])))
                        .as((x, r) -> new Case(a[0], a[1], a[2], a[3], a[4], a[5], x, r)));
    }

    @Property(tries = 80, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("cases") Case k) {
        Shape in = Shape.of(k.c(), k.h(), k.w());
        Tensor t = TestData.tensor(in, k.batch(), k.batch() + k.extraCapacity(), k.x());
        GradientCheck.checkLayer(new AvgPool(k.size()), t, k.r(), GradientCheck.Options.FLOAT32).assertOk(k.toString());
    }
}
