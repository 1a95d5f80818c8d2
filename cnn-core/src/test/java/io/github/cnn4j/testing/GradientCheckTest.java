package io.github.cnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker itself must pass a correct layer and catch wrong ones; otherwise every layer test is void. */
class GradientCheckTest {

    /** {@code y = a * x^2} with a scalar parameter {@code a}; the factors corrupt the backward pass. */
    private static final class ScaledSquare implements Layer {
        private final Parameter a = new Parameter("a", Shape.of(1));
        private final float inputFactor;
        private final float paramFactor;
        private final boolean writeGradIn;

        ScaledSquare(float inputFactor, float paramFactor, boolean writeGradIn) {
            this.inputFactor = inputFactor;
            this.paramFactor = paramFactor;
            this.writeGradIn = writeGradIn;
            a.value()[0] = 0.7f;
        }

        @Override
        public String name() {
            return "ScaledSquare";
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(a);
        }

        @Override
        public void forward(Tensor in, Tensor out, LayerContext ctx) {
            for (int i = 0; i < in.length(); i++) {
                out.data()[i] = a.value()[0] * in.data()[i] * in.data()[i];
            }
        }

        @Override
        public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
            float[] ga = ctx.gradient(a);
            for (int i = 0; i < in.length(); i++) {
                float x = in.data()[i];
                ga[0] += paramFactor * gradOut.data()[i] * x * x;
                if (writeGradIn && i > 0) {
                    gradIn.data()[i] = inputFactor * gradOut.data()[i] * 2 * a.value()[0] * x;
                }
            }
            if (writeGradIn) {
                gradIn.data()[0] = inputFactor * gradOut.data()[0] * 2 * a.value()[0] * in.data()[0];
            }
        }
    }

    private static GradientCheck.Report check(Layer layer) {
        Rng rng = new Rng(3);
        Tensor in = TestData.tensor(Shape.of(2, 3), 2, 2, TestData.uniform(rng, 12, -1, 1));
        return GradientCheck.checkLayer(layer, in, TestData.uniform(rng, 12, -1, 1), GradientCheck.Options.FLOAT32);
    }

    @Test
    void correctGradientsPass() {
        GradientCheck.Report r = check(new ScaledSquare(1f, 1f, true));
        r.assertOk("correct layer");
        assertEquals(12 + 1, r.checked());
        assertTrue(r.maxRelError() < 1e-4, "max rel error " + r.maxRelError());
    }

    @Test
    void inputGradientOffByFivePercentFails() {
        GradientCheck.Report r = check(new ScaledSquare(1.05f, 1f, true));
        assertFalse(r.ok());
        assertTrue(r.failures().stream().allMatch(e -> e.what().equals("dInput")), r.failures().toString());
        assertThrows(AssertionError.class, () -> r.assertOk("broken"));
    }

    @Test
    void parameterGradientOffByFivePercentFails() {
        GradientCheck.Report r = check(new ScaledSquare(1f, 0.95f, true));
        assertEquals(1, r.failures().size(), r.failures().toString());
        assertEquals("da", r.failures().get(0).what());
    }

    @Test
    void unwrittenInputGradientIsReported() {
        AssertionError e = assertThrows(AssertionError.class, () -> check(new ScaledSquare(1f, 1f, false)));
        assertTrue(e.getMessage().contains("unwritten"), e.getMessage());
    }

    @Test
    void absoluteFloorExcusesTinyErrorsOnly() {
        float[] values = {0.5f};
        // objective 1e-5 * x: numeric gradient 1e-5, analytic claims 0 -> relative error 1, absolute 1e-5.
        GradientCheck.Report tiny = GradientCheck.compare("x", values, 0, 1, new float[] {0f}, 0,
                () -> 1e-5 * values[0], GradientCheck.Options.FLOAT32, new GradientCheck.Report());
        assertTrue(tiny.ok());
        GradientCheck.Report large = GradientCheck.compare("x", values, 0, 1, new float[] {0f}, 0,
                () -> 1e-2 * values[0], GradientCheck.Options.FLOAT32, new GradientCheck.Report());
        assertFalse(large.ok());
        assertEquals(0.5f, values[0], "values are restored");
    }
}
