package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.Layers;
import io.github.cnn4j.testing.TestData;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@code Conv.stride(s)}: shapes, names, a hand-computed case and gradient checks. */
class ConvStrideTest {

    @Test
    void shapesAndNames() {
        Conv c = new Conv(3, 3, 16).stride(2);
        assertEquals(2, c.stride());
        assertEquals(1, new Conv(3, 3, 16).stride());
        assertEquals(Shape.of(16, 13, 13), c.outputShape(Shape.of(1, 28, 28)));
        assertEquals(Shape.of(16, 14, 14), c.padding(1).outputShape(Shape.of(1, 28, 28)));
        assertEquals(2, c.padding(1).stride(), "padding keeps the stride");
        assertEquals(2, c.weightInit(null).biasInit(null).stride(), "initializers keep the stride");
        assertEquals("Conv(3x3, 16 filters, padding 1, stride 2)", c.padding(1).name());
        assertEquals(2L * 16 * 13 * 13 * 9, c.flops(Shape.of(1, 28, 28)));
        Conv built = Layers.build(c, Shape.of(1, 28, 28));
        assertEquals(2, built.stride());
        assertThrows(IllegalArgumentException.class, () -> new Conv(3, 3, 1).stride(0));
    }

    @Test
    void strideTwoTakesEverySecondPosition() {
        Conv conv = Layers.build(new Conv(2, 2, 1).stride(2), Shape.of(1, 4, 5));
        conv.weight().set(new float[] {1, 2, 3, 4});
        conv.bias().set(new float[] {0.5f});
        float[] x = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i;
        }
        // windows at columns 0 and 2 of rows 0 and 2 (column 4 is left over): 1*x00 + 2*x01 + 3*x10 + 4*x11 + 0.5
        float[] out = Layers.forward(conv, Shape.of(1, 4, 5), 1, x);
        assertArrayEquals(new float[] {0 + 2 + 15 + 24 + 0.5f, 2 + 6 + 21 + 32 + 0.5f, 10 + 22 + 45 + 64 + 0.5f, 12 + 26 + 51 + 72 + 0.5f},
                out, 1e-5f);
    }

    record Dims(int c, int h, int w, int k, int pad, int stride, int filters, int batch) {
        Shape input() {
            return Shape.of(c, h, w);
        }

        int outSize() {
            return filters * ((h + 2 * pad - k) / stride + 1) * ((w + 2 * pad - k) / stride + 1);
        }
    }

    record Case(Dims d, float[] x, float[] weights, float[] biases, float[] r) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Dims> dims = Combinators.combine(
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(3, 9), Arbitraries.integers().between(3, 9),
                        Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 2), Arbitraries.integers().between(2, 3),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3))
                .as(Dims::new)
                .filter(d -> d.k() <= d.h() + 2 * d.pad() && d.k() <= d.w() + 2 * d.pad());
        return dims.flatMap(d -> Combinators.combine(
                        Layers.floats(d.batch() * d.c() * d.h() * d.w()), Layers.floats(d.filters() * d.c() * d.k() * d.k()),
                        Layers.floats(d.filters()), Layers.floats(d.batch() * d.outSize()))
                .as((x, wt, b, r) -> new Case(d, x, wt, b, r)));
    }

    @Property(tries = 80, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("cases") Case k) {
        Dims d = k.d();
        Conv conv = Layers.build(new Conv(d.k(), d.k(), d.filters()).padding(d.pad()).stride(d.stride()), d.input());
        conv.weight().set(k.weights());
        conv.bias().set(k.biases());
        Tensor in = TestData.tensor(d.input(), d.batch(), d.batch(), k.x());
        GradientCheck.checkLayer(conv, in, k.r(), GradientCheck.Options.FLOAT32).assertOk(d.toString());
    }
}
