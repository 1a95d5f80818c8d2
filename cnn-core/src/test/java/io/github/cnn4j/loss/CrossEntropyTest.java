package io.github.cnn4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.kernel.ActivationKernels;
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

class CrossEntropyTest {
    private final CrossEntropy ce = new CrossEntropy();

    private static Tensor softmax(int k, int batch, float[] logits) {
        Tensor p = new Tensor(Shape.of(k), batch);
        ActivationKernels.softmaxForward(logits, p.data(), batch, k);
        return p;
    }

    @Test
    void softmaxThenCrossEntropyKnownValues() {
        Tensor p = softmax(3, 2, new float[] {1, 2, 3, 1, 2, 3});
        // softmax(1,2,3) = (0.0900306, 0.2447285, 0.6652410); -ln(0.6652410) = 0.4076060, -ln(0.0900306) = 2.4076060
        assertEquals(0.4076060, ce.loss(p.batch(1), new int[] {2}, 0), 1e-6);
        assertEquals(0.4076060 + 2.4076060, ce.loss(p.batch(2), new int[] {2, 0}, 0), 1e-6, "the batch loss is the SUM");
        assertEquals(2.4076060, ce.loss(p.batch(1), new int[] {9, 0}, 1), 1e-6, "labels are read from the offset");
        Tensor g = new Tensor(Shape.of(3), 2);
        Arrays.fill(g.data(), 42f);
        ce.softmaxInputGradient(p.batch(2), new int[] {2, 0}, 0, g);
        assertArrayEquals(new float[] {0.0900306f, 0.2447285f, 0.6652410f - 1, 0.0900306f - 1, 0.2447285f, 0.6652410f},
                g.data(), 1e-6f);
        float[] fused = g.data().clone();
        Arrays.fill(g.data(), 42f);
        ce.softmaxInputGradient(p.batch(2), new int[] {7, 2, 0}, 1, g);
        assertArrayEquals(fused, g.data(), 0f, "labels are read from the offset");
        ce.gradient(p.batch(2), new int[] {2, 0}, 0, g);
        assertArrayEquals(new float[] {0, 0, -1 / 0.6652410f, -1 / 0.0900306f, 0, 0}, g.data(), 1e-4f);
        Arrays.fill(g.data(), 42f);
        ce.gradient(p.batch(2), new int[] {1, 1, 2, 0}, 2, g);
        assertArrayEquals(new float[] {0, 0, -1 / 0.6652410f, -1 / 0.0900306f, 0, 0}, g.data(), 1e-4f, "offset");
    }

    @Test
    void probabilitiesAreClippedAt1e9() {
        Tensor p = TestData.tensor(Shape.of(2), 1, 1, new float[] {1, 0});
        assertEquals(-Math.log(1e-9), ce.loss(p, new int[] {1}, 0), 1e-9);
        assertEquals(20.7232658, ce.loss(p, new int[] {1}, 0), 1e-6);
        Tensor g = new Tensor(Shape.of(2), 1);
        ce.gradient(p, new int[] {1}, 0, g);
        assertTrue(Float.isFinite(g.data()[1]));
        assertEquals(0.0, ce.loss(p, new int[] {0}, 0), 0.0);
    }

    @Test
    void rejectsLabelsOutsideTheClasses() {
        Tensor p = TestData.tensor(Shape.of(3), 1, 1, new float[] {0.2f, 0.3f, 0.5f});
        Tensor g = new Tensor(Shape.of(3), 1);
        assertThrows(IllegalArgumentException.class, () -> ce.loss(p, new int[] {3}, 0));
        assertThrows(IllegalArgumentException.class, () -> ce.loss(p, new int[] {-1}, 0));
        assertThrows(IllegalArgumentException.class, () -> ce.gradient(p, new int[] {3}, 0, g));
        assertThrows(IllegalArgumentException.class, () -> ce.softmaxInputGradient(p, new int[] {-1}, 0, g));
        assertTrue(ce.fusesWithSoftmax());
    }

    record Case(int k, int batch, int[] labels, float[] x) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(2, 10), Arbitraries.integers().between(1, 4))
                .as((k, b) -> new int[] {k, b})
                .flatMap(a -> Combinators.combine(
                                Arbitraries.integers().between(0, a[0] - 1).array(int[].class).ofSize(a[1]),
                                Arbitraries.floats().between(-1f, 1f).array(float[].class).ofSize(a[0] * a[1]))
                        .as((labels, x) -> new Case(a[0], a[1], labels, x)));
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void gradientMatchesFiniteDifferences(@ForAll("cases") Case c) {
        // probabilities in [0.05, 1): dL/dp = -1/p at the label, 0 elsewhere
        float[] p = c.x().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.525f + 0.475f * p[i];
        }
        Tensor t = TestData.tensor(Shape.of(c.k()), c.batch(), c.batch(), p);
        Tensor g = new Tensor(Shape.of(c.k()), c.batch());
        Arrays.fill(g.data(), Float.NaN);
        ce.gradient(t, c.labels(), 0, g);
        GradientCheck.compare("dp", t.data(), 0, t.length(), g.data(), 0, () -> ce.loss(t, c.labels(), 0),
                GradientCheck.Options.DOUBLE_OBJECTIVE, new GradientCheck.Report()).assertOk("CE " + c.k() + " x" + c.batch());
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void fusedSoftmaxGradientMatchesFiniteDifferencesOfCeOfSoftmax(@ForAll("cases") Case c) {
        float[] z = c.x().clone();
        for (int i = 0; i < z.length; i++) {
            z[i] *= 4;   // logits in [-4, 4]
        }
        Tensor p = softmax(c.k(), c.batch(), z);
        Tensor g = new Tensor(Shape.of(c.k()), c.batch());
        Arrays.fill(g.data(), Float.NaN);
        ce.softmaxInputGradient(p, c.labels(), 0, g);
        Tensor probe = new Tensor(Shape.of(c.k()), c.batch());
        GradientCheck.compare("dz", z, 0, z.length, g.data(), 0, () -> {
            ActivationKernels.softmaxForward(z, probe.data(), c.batch(), c.k());
            return ce.loss(probe, c.labels(), 0);
        }, GradientCheck.Options.FLOAT32, new GradientCheck.Report()).assertOk("fused CE " + c.k() + " x" + c.batch());

        // and it equals the unfused chain: softmax Jacobian applied to dL/dp
        Tensor dp = new Tensor(Shape.of(c.k()), c.batch());
        ce.gradient(p, c.labels(), 0, dp);
        float[] chained = new float[p.length()];
        ActivationKernels.softmaxBackward(p.data(), dp.data(), chained, c.batch(), c.k());
        assertArrayEquals(g.data(), chained, 1e-5f);
    }
}
