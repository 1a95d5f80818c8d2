package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Tests shared by the element-wise activations: known values against the defining function, the
 * backward pass against that function's central difference, and a jqwik finite-difference check.
 */
abstract class ElementwiseActivationTest {

    /** @return a fresh instance of the layer under test */
    abstract Layer layer();

    /** @return the activation's defining function, in double precision */
    abstract double f(double x);

    /** @return f(0.5) as a float literal checked by hand, independent of {@link #f} */
    abstract float valueAtHalf();

    @Test
    void knownValues() {
        Layer layer = layer();
        float[] x = {-100, -2, 0, 0.5f, 2, 100};
        Shape s = Shape.of(2, 1, 3);
        Tensor in = TestData.tensor(s, 1, 1, x);
        Tensor out = new Tensor(s, 1);
        LayerContext ctx = new LayerContext(layer.parameters());
        layer.forward(in, out, ctx);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = (float) f(x[i]);
            assertTrue(Float.isFinite(out.data()[i]));
        }
        assertArrayEquals(expected, out.data(), 1e-7f);
        assertEquals(valueAtHalf(), out.data()[3], 1e-7f);
        Tensor dx = new Tensor(s, 1);
        float[] dy = {1, 2, 3, 4, 5, 6};
        layer.backward(in, out, TestData.tensor(s, 1, 1, dy), dx, ctx);
        for (int i = 0; i < x.length; i++) {
            double h = 1e-4;
            double derivative = (f(x[i] + h) - f(x[i] - h)) / (2 * h);
            assertEquals(dy[i] * derivative, dx.data()[i], 1e-6, "dx[" + i + "]");
        }
        assertEquals(s, layer.outputShape(s));
    }

    record Case(Shape shape, int batch, float[] x, float[] r) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Layers.shapes(), Arbitraries.integers().between(1, 3)).as((s, b) -> new Object[] {s, b})
                .flatMap(a -> {
                    Shape s = (Shape) a[0];
                    int b = (Integer) a[1];
                    return Combinators.combine(Layers.floats(b * s.size()), Layers.floats(b * s.size()))
                            .as((x, r) -> new Case(s, b, x, r));
                });
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("cases") Case k) {
        float[] x = k.x().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= 3;   // inputs in [-3, 3]: the curved part and the start of saturation
        }
        Tensor in = TestData.tensor(k.shape(), k.batch(), k.batch(), x);
        GradientCheck.checkLayer(layer(), in, k.r(), GradientCheck.Options.FLOAT32).assertOk(k.shape() + " x" + k.batch());
    }
}
