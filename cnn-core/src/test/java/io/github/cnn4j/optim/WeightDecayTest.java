package io.github.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightDecayTest {

    private static Parameter param(String name, float[] value, float[] grad) {
        Parameter p = new Parameter(name, Shape.of(value.length));
        p.set(value);
        System.arraycopy(grad, 0, p.grad(), 0, grad.length);
        return p;
    }

    @Test
    void addsLambdaTimesWeightToTheMeanGradientOfWeightsOnly() {
        Parameter w = param("weight", new float[] {2, -4}, new float[] {4, 8});
        Parameter b = param("bias", new float[] {2}, new float[] {4});
        Parameter g = param("gamma", new float[] {1}, new float[] {0});
        WeightDecay opt = new WeightDecay(new Sgd(0.5), 0.25);
        opt.step(List.of(w, b, g), 4);
        // mean gradient (1, 2) + 0.25 * (2, -4) = (1.5, 1); w - 0.5 * that
        assertArrayEquals(new float[] {2 - 0.75f, -4 - 0.5f}, w.value(), 1e-6f);
        assertArrayEquals(new float[] {2 - 0.5f}, b.value(), 1e-6f, "biases are not decayed");
        assertArrayEquals(new float[] {1}, g.value(), 0f, "batch-norm scales are not decayed");
        assertArrayEquals(new float[2], w.grad(), 0f, "the inner optimizer clears the gradients");
    }

    @Test
    void withoutGradientWeightsShrinkGeometrically() {
        Parameter w = param("weight", new float[] {1}, new float[] {0});
        WeightDecay opt = new WeightDecay(new Sgd(0.1), 0.5);
        for (int i = 0; i < 3; i++) {
            opt.step(List.of(w), 7);
        }
        assertEquals(Math.pow(1 - 0.1 * 0.5, 3), w.value()[0], 1e-6);
    }

    @Test
    void delegatesTheLearningRateAndNamesBoth() {
        Adam adam = new Adam(0.01);
        WeightDecay opt = new WeightDecay(adam, 1e-4);
        assertSame(adam, opt.inner());
        opt.learningRate(0.5f);
        assertEquals(0.5f, adam.learningRate());
        assertEquals(0.5f, opt.learningRate());
        assertEquals("adam(lr=0.5)+l2(1.0E-4)", opt.name());
        assertThrows(IllegalArgumentException.class, () -> new WeightDecay(adam, -1));
        assertThrows(IllegalArgumentException.class, () -> new WeightDecay(adam, Double.NaN));
        assertThrows(NullPointerException.class, () -> new WeightDecay(null, 0.1));
        Parameter w = param("weight", new float[] {3}, new float[] {1});
        new WeightDecay(new Sgd(1), 0).step(List.of(w), 1);
        assertArrayEquals(new float[] {2}, w.value(), 0f, "lambda 0 is plain SGD");
    }
}
