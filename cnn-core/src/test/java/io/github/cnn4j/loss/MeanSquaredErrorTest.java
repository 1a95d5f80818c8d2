package io.github.cnn4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.testing.GradientCheck;
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

class MeanSquaredErrorTest {
    private final MeanSquaredError mse = new MeanSquaredError();

    @Test
    void knownValues() {
        Tensor p = TestData.tensor(Shape.of(3), 2, 2, new float[] {0.2f, 0.7f, 0.1f, 1, 0, 0});
        // sample 0, label 1: (0.04 + 0.09 + 0.01) / 3; sample 1, label 0: exact
        assertEquals(0.14 / 3, mse.loss(p.batch(1), new int[] {1}, 0), 1e-7);
        assertEquals(0.14 / 3, mse.loss(p.batch(2), new int[] {1, 0}, 0), 1e-7);
        assertEquals(0.14 / 3 + 2.0 / 3, mse.loss(p.batch(2), new int[] {1, 1}, 0), 1e-7);
        Tensor g = new Tensor(Shape.of(3), 2);
        Arrays.fill(g.data(), Float.NaN);
        mse.gradient(p.batch(2), new int[] {1, 0}, 0, g);
        assertArrayEquals(new float[] {0.4f / 3, -0.6f / 3, 0.2f / 3, 0, 0, 0}, g.data(), 1e-7f);
        Arrays.fill(g.data(), Float.NaN);
        mse.gradient(p.batch(2), new int[] {2, 1, 0}, 1, g);
        assertArrayEquals(new float[] {0.4f / 3, -0.6f / 3, 0.2f / 3, 0, 0, 0}, g.data(), 1e-7f, "labels from the offset");
        assertEquals(0.14 / 3, mse.loss(p.batch(2), new int[] {2, 1, 0}, 1), 1e-7);
    }

    @Test
    void doesNotFuseWithSoftmaxAndChecksLabels() {
        assertFalse(mse.fusesWithSoftmax());
        Tensor p = TestData.tensor(Shape.of(2), 1, 1, new float[] {0.5f, 0.5f});
        assertThrows(UnsupportedOperationException.class, () -> mse.softmaxInputGradient(p, new int[] {0}, 0, new Tensor(Shape.of(2), 1)));
        assertThrows(IllegalArgumentException.class, () -> mse.loss(p, new int[] {2}, 0));
    }

    record Case(int k, int batch, int[] labels, float[] x) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(1, 10), Arbitraries.integers().between(1, 4))
                .as((k, b) -> new int[] {k, b})
                .flatMap(a -> Combinators.combine(
                                Arbitraries.integers().between(0, a[0] - 1).array(int[].class).ofSize(a[1]),
                                Arbitraries.floats().between(-1f, 2f).array(float[].class).ofSize(a[0] * a[1]))
                        .as((labels, x) -> new Case(a[0], a[1], labels, x)));
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void gradientMatchesFiniteDifferences(@ForAll("cases") Case c) {
        Tensor t = TestData.tensor(Shape.of(c.k()), c.batch(), c.batch(), c.x());
        Tensor g = new Tensor(Shape.of(c.k()), c.batch());
        mse.gradient(t, c.labels(), 0, g);
        GradientCheck.compare("dp", t.data(), 0, t.length(), g.data(), 0, () -> mse.loss(t, c.labels(), 0),
                GradientCheck.Options.DOUBLE_OBJECTIVE, new GradientCheck.Report()).assertOk("MSE " + c.k() + " x" + c.batch());
    }
}
