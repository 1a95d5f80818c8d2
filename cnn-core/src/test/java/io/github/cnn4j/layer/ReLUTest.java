package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

class ReLUTest {

    @Test
    void knownValuesAndZeroDerivativeAtZero() {
        ReLU relu = new ReLU();
        Shape s = Shape.of(4);
        Tensor in = TestData.tensor(s, 1, 1, new float[] {-2, 0, 3, -0.5f});
        Tensor out = new Tensor(s, 1);
        LayerContext ctx = new LayerContext(relu.parameters());
        relu.forward(in, out, ctx);
        assertArrayEquals(new float[] {0, 0, 3, 0}, out.data(), 0f);
        Tensor dx = new Tensor(s, 1);
        relu.backward(in, out, TestData.tensor(s, 1, 1, new float[] {5, 6, 7, 8}), dx, ctx);
        assertArrayEquals(new float[] {0, 0, 7, 0}, dx.data(), 0f);
        assertEquals(Shape.of(6, 24, 24), relu.outputShape(Shape.of(6, 24, 24)));
        assertEquals(0, relu.parameters().size());
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
        // |x| >= 0.1 > 2 * eps: no input sits on the kink at 0
        float[] x = TestData.awayFromZero(k.x().clone(), 0.1f);
        Tensor in = TestData.tensor(k.shape(), k.batch(), k.batch(), x);
        GradientCheck.checkLayer(new ReLU(), in, k.r(), GradientCheck.Options.FLOAT32).assertOk(k.shape() + " x" + k.batch());
    }
}
