package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.random.Rng;
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

class SoftmaxTest {

    @Test
    void knownValuesPerRowAndStableForHugeLogits() {
        float[] out = Layers.forward(new Softmax(), Shape.of(3), 3, new float[] {
            1, 2, 3,
            1001, 1002, 1003,   // shift invariant
            1000, 0, -1000,     // would overflow exp without the max shift
        });
        float[] expected = {
            0.09003057f, 0.24472847f, 0.66524096f,
            0.09003057f, 0.24472847f, 0.66524096f,
            1, 0, 0,
        };
        assertArrayEquals(expected, out, 1e-6f);
    }

    @Test
    void rowsSumToOne() {
        float[] x = TestData.uniform(new Rng(9), 40, -20, 20);
        float[] out = Layers.forward(new Softmax(), Shape.of(10), 4, x);
        for (int r = 0; r < 4; r++) {
            double s = 0;
            for (int k = 0; k < 10; k++) {
                s += out[r * 10 + k];
            }
            assertEquals(1.0, s, 1e-6);
        }
    }

    @Test
    void needsAVector() {
        assertThrows(IllegalArgumentException.class, () -> new Softmax().outputShape(Shape.of(1, 2, 5)));
        assertEquals(Shape.of(7), new Softmax().outputShape(Shape.of(7)));
    }

    record Case(int k, int batch, float[] x, float[] r) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(1, 10), Arbitraries.integers().between(1, 3))
                .as((k, b) -> new int[] {k, b})
                .flatMap(a -> Combinators.combine(Layers.floats(a[0] * a[1]), Layers.floats(a[0] * a[1]))
                        .as((x, r) -> new Case(a[0], a[1], x, r)));
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("cases") Case c) {
        float[] x = c.x().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= 4;   // logits in [-4, 4]
        }
        Tensor in = TestData.tensor(Shape.of(c.k()), c.batch(), c.batch(), x);
        GradientCheck.checkLayer(new Softmax(), in, c.r(), GradientCheck.Options.FLOAT32).assertOk(c.k() + " x" + c.batch());
    }
}
