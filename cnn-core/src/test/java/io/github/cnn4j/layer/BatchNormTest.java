package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.Layers;
import io.github.cnn4j.testing.TestData;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BatchNormTest {

    private static LayerContext context(BatchNorm bn, boolean training) {
        LayerContext ctx = new LayerContext(bn.parameters());
        ctx.training(training);
        return ctx;
    }

    @Test
    void trainingNormalizesEachChannelOverBatchAndPositions() {
        Shape s = Shape.of(3, 4, 5);
        BatchNorm bn = Layers.build(new BatchNorm(), s);
        float[] x = TestData.uniform(new Rng(1), 4 * s.size(), -3, 7);
        Tensor in = TestData.tensor(s, 4, 4, x);
        Tensor out = new Tensor(s, 4);
        bn.forward(in, out, context(bn, true));
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            for (int n = 0; n < 4; n++) {
                for (int i = 0; i < 20; i++) {
                    double v = out.data()[n * 60 + c * 20 + i];
                    sum += v;
                    sq += v * v;
                }
            }
            assertEquals(0, sum / 80, 1e-5, "mean of channel " + c);
            assertEquals(1, sq / 80, 1e-3, "variance of channel " + c);
        }
    }

    @Test
    void inferenceIsTheAffineMapOfTheRunningStatistics() {
        Shape s = Shape.of(2);
        BatchNorm bn = Layers.build(new BatchNorm().epsilon(0.01), s);
        bn.gamma().set(new float[] {2, -1});
        bn.beta().set(new float[] {0.5f, 1});
        bn.runningMean().set(new float[] {1, -2});
        bn.runningVar().set(new float[] {3.99f, 0.24f});
        Tensor in = TestData.tensor(s, 2, 2, new float[] {3, 0, -1, -2});
        Tensor out = new Tensor(s, 2);
        bn.forward(in, out, context(bn, false));
        // (3 - 1) / 2 * 2 + 0.5 = 2.5; (0 + 2) / 0.5 * -1 + 1 = -3; (-1 - 1) / 2 * 2 + 0.5 = -1.5; 0 * -1 + 1 = 1
        assertArrayEquals(new float[] {2.5f, -3, -1.5f, 1}, out.data(), 1e-6f);
        assertEquals("BatchNorm(eps 0.01)", bn.name());
        assertEquals("BatchNorm()", new BatchNorm().name());
    }

    @Test
    void parametersAndStateAreSeparate() {
        BatchNorm unbuilt = new BatchNorm();
        assertTrue(unbuilt.parameters().isEmpty());
        assertTrue(unbuilt.state().isEmpty());
        assertNull(unbuilt.gamma());
        BatchNorm bn = Layers.build(unbuilt, Shape.of(6, 8, 8));
        assertEquals(List.of(bn.gamma(), bn.beta()), bn.parameters());
        assertEquals(List.of(bn.runningMean(), bn.runningVar()), bn.state());
        assertEquals(List.of("gamma", "beta", "running_mean", "running_var"),
                List.of(bn.gamma().name(), bn.beta().name(), bn.runningMean().name(), bn.runningVar().name()));
        assertEquals(Shape.of(6), bn.gamma().shape());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, bn.gamma().value(), 0f);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, bn.runningVar().value(), 0f);
        assertArrayEquals(new float[6], bn.runningMean().value(), 0f);
        assertEquals(8, Layers.build(new BatchNorm(), Shape.of(8)).gamma().size(), "per feature after a dense layer");
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm().epsilon(0));
        assertThrows(IllegalStateException.class, () -> unbuilt.forward(new Tensor(Shape.of(2), 1), new Tensor(Shape.of(2), 1),
                new LayerContext(List.of())));
    }

    record Case(int c, int spatial, int batch, boolean training, float[] x, float[] gamma, float[] beta, float[] r) {
        Shape shape() {
            return spatial == 1 ? Shape.of(c) : Shape.of(c, 1, spatial);
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 6),
                        Arbitraries.integers().between(1, 4), Arbitraries.of(true, false))
                .as((c, sp, b, t) -> new Object[] {c, sp, b, t})
                // In training, each channel needs a few values for its statistics to vary smoothly.
                .filter(a -> !(Boolean) a[3] || (Integer) a[1] * (Integer) a[2] >= 4)
                .flatMap(a -> {
                    int c = (Integer) a[0];
                    int sp = (Integer) a[1];
                    int b = (Integer) a[2];
                    return Combinators.combine(Layers.floats(b * c * sp), Layers.floats(c), Layers.floats(c), Layers.floats(b * c * sp))
                            .as((x, g, be, r) -> new Case(c, sp, b, (Boolean) a[3], x, g, be, r));
                });
    }

    /**
     * A smaller step than {@link GradientCheck.Options#FLOAT32}: in training, a channel's statistics
     * come from as few as four values, and {@code 1 / sqrt(var)} curves enough that the central
     * difference's truncation error at {@code eps = 1e-2} reached a relative 2.6e-3 (one failure in
     * a few hundred random cases; 4,000 tries failed every time). At {@code 3e-3} it is nine times
     * smaller, and 8,000 tries passed; the float rounding noise it adds is about 1e-5.
     */
    private static final GradientCheck.Options BATCH_NORM = new GradientCheck.Options(3e-3, 1e-3, 2e-4, 1e-8);

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("cases") Case k) {
        BatchNorm bn = Layers.build(new BatchNorm(), k.shape());
        bn.gamma().set(k.gamma());
        bn.beta().set(k.beta());
        float[] mean = new float[k.c()];
        float[] var = new float[k.c()];
        for (int i = 0; i < k.c(); i++) {
            mean[i] = 0.1f * i - 0.1f;
            var[i] = 0.5f + 0.25f * i;
        }
        bn.runningMean().set(mean);
        bn.runningVar().set(var);
        // Spread inputs: values in [-1, 1] plus a per-element offset, so that no channel is nearly constant.
        float[] x = k.x().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] += (i % 5) * 0.7f;
        }
        Tensor in = TestData.tensor(k.shape(), k.batch(), k.batch(), x);
        GradientCheck.checkLayer(bn, in, k.r(), BATCH_NORM, () -> context(bn, k.training()))
                .assertOk((k.training() ? "training " : "inference ") + k.shape() + " x" + k.batch());
    }
}
