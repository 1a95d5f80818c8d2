package io.github.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizersTest {

    private static Parameter param(float[] value, float[] grad) {
        Parameter p = new Parameter("p", Shape.of(value.length));
        p.set(value);
        System.arraycopy(grad, 0, p.grad(), 0, grad.length);
        return p;
    }

    private static void setGrad(Parameter p, float... g) {
        System.arraycopy(g, 0, p.grad(), 0, g.length);
    }

    @Test
    void sgdStepIsWMinusLrTimesMeanGradientAndClearsGradients() {
        // values chosen so that every product is exact in float
        Parameter a = param(new float[] {1, -2, 0.5f}, new float[] {4, -8, 2});
        Parameter b = param(new float[] {3}, new float[] {1});
        Sgd sgd = new Sgd(0.5);
        sgd.step(List.of(a, b), 4);
        // w - lr * g / batch
        assertArrayEquals(new float[] {1 - 0.5f * 4 / 4, -2 + 0.5f * 8 / 4, 0.5f - 0.5f * 2 / 4}, a.value(), 0f);
        assertArrayEquals(new float[] {3 - 0.5f / 4}, b.value(), 0f);
        assertArrayEquals(new float[3], a.grad(), 0f);
        assertArrayEquals(new float[1], b.grad(), 0f);
        setGrad(b, 2);
        sgd.step(List.of(b), 1);
        assertArrayEquals(new float[] {3 - 0.125f - 1}, b.value(), 0f, "batch 1: w - lr * g");
    }

    @Test
    void sgdWithArbitraryValuesMatchesTheFormula() {
        Parameter p = param(new float[] {0.3f, -0.7f}, new float[] {0.11f, 2.9f});
        new Sgd(0.01).step(List.of(p), 3);
        assertEquals(0.3 - 0.01 * 0.11 / 3, p.value()[0], 1e-7);
        assertEquals(-0.7 - 0.01 * 2.9 / 3, p.value()[1], 1e-7);
    }

    @Test
    void momentumTwoStepsByHand() {
        Parameter p = param(new float[] {1, 1}, new float[] {2, -4});
        Momentum m = new Momentum(0.1, 0.9);
        m.step(List.of(p), 2);
        // g = (1, -2); v = g; w = 1 - 0.1 v
        assertArrayEquals(new float[] {0.9f, 1.2f}, p.value(), 1e-6f);
        assertArrayEquals(new float[2], p.grad(), 0f);
        setGrad(p, 4, 0);
        m.step(List.of(p), 2);
        // g = (2, 0); v = 0.9 (1, -2) + (2, 0) = (2.9, -1.8); w = (0.9, 1.2) - 0.1 v = (0.61, 1.38)
        assertArrayEquals(new float[] {0.61f, 1.38f}, p.value(), 1e-6f);
    }

    @Test
    void adamTwoStepsByHand() {
        Parameter p = param(new float[] {0.5f, -0.5f, 0f}, new float[] {0.2f, -3, 0});
        Adam adam = new Adam(0.01, 0.9, 0.999, 1e-8);
        adam.step(List.of(p), 2);
        // step 1: g = (0.1, -1.5, 0); m = 0.1 g, v = 0.001 g^2; mhat = g, vhat = g^2 -> w -= 0.01 * g / (|g| + 1e-8)
        assertEquals(0.5 - 0.01 * 0.1 / (0.1 + 1e-8), p.value()[0], 1e-7);
        assertEquals(-0.5 + 0.01 * 1.5 / (1.5 + 1e-8), p.value()[1], 1e-7);
        assertEquals(0f, p.value()[2], 0f, "a zero gradient moves nothing");
        assertArrayEquals(new float[3], p.grad(), 0f);
        setGrad(p, 0.6f, 1, 0);
        adam.step(List.of(p), 2);
        // step 2, element 0: g2 = 0.3; m = 0.9 * 0.01 + 0.1 * 0.3 = 0.039; v = 0.999 * 1e-5 + 0.001 * 0.09 = 9.999e-5
        double m0 = 0.9 * 0.01 + 0.1 * 0.3;
        double v0 = 0.999 * 1e-5 + 0.001 * 0.09;
        double w0 = 0.5 - 0.01 * 0.1 / (0.1 + 1e-8) - 0.01 * (m0 / (1 - 0.81)) / (Math.sqrt(v0 / (1 - 0.998001)) + 1e-8);
        assertEquals(w0, p.value()[0], 1e-6);
        // element 1: g1 = -1.5, g2 = 0.5
        double m1 = 0.9 * -0.15 + 0.1 * 0.5;
        double v1 = 0.999 * 0.00225 + 0.001 * 0.25;
        double w1 = -0.5 + 0.01 * 1.5 / (1.5 + 1e-8) - 0.01 * (m1 / (1 - 0.81)) / (Math.sqrt(v1 / (1 - 0.998001)) + 1e-8);
        assertEquals(w1, p.value()[1], 1e-6);
    }

    @Test
    void learningRatesAndHyperParametersAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(-1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new Momentum(0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Momentum(0.1, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1, 0.999, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 0.9, 0.999, 0));
        Sgd s = new Sgd(0.1);
        s.learningRate(0.25f);
        assertEquals(0.25f, s.learningRate());
        assertEquals("sgd(lr=0.25)", s.name());
        assertThrows(IllegalArgumentException.class, () -> s.learningRate(0f));
    }
}
