package io.github.cnn4j.optim;

import io.github.cnn4j.layer.Parameter;
import java.util.List;
import java.util.Objects;

/**
 * L2 weight decay for any optimizer: adds {@code lambda * w} to the batch-mean gradient of every
 * weight, then lets the wrapped optimizer take its step.
 *
 * <pre>{@code Optimizer opt = new WeightDecay(new Adam(0.002), 5e-4);}</pre>
 *
 * <p>This is the gradient of the penalty {@code (lambda / 2) * ||w||^2} added to the mean loss (the
 * "L2 regularization" of Keras' {@code kernel_regularizer} and of PyTorch's {@code weight_decay}
 * argument). Since gradients arrive as sums over the batch, the decorator adds
 * {@code batchSize * lambda * w} to them. Only parameters named {@code weight} (the kernels of
 * {@code Conv} and {@code Dense}) are decayed, not biases or batch-norm scales and shifts; the
 * learning rate is the wrapped optimizer's.
 */
public final class WeightDecay implements Optimizer {
    private final Optimizer inner;
    private final float lambda;

    /**
     * @param inner  the optimizer that takes the steps
     * @param lambda decay coefficient, finite and &gt;= 0 (typical: 1e-4 to 5e-4)
     */
    public WeightDecay(Optimizer inner, double lambda) {
        this.inner = Objects.requireNonNull(inner, "inner");
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("weight decay must be a finite number >= 0, got " + lambda);
        }
        this.lambda = (float) lambda;
    }

    /** @return the wrapped optimizer */
    public Optimizer inner() {
        return inner;
    }

    /** @return the decay coefficient */
    public float lambda() {
        return lambda;
    }

    @Override
    public void step(List<Parameter> parameters, int batchSize) {
        if (lambda > 0) {
            float k = lambda * batchSize;
            for (Parameter p : parameters) {
                if (!p.name().equals("weight")) {
                    continue;
                }
                float[] w = p.value();
                float[] g = p.grad();
                for (int i = 0; i < w.length; i++) {
                    g[i] += k * w[i];
                }
            }
        }
        inner.step(parameters, batchSize);
    }

    @Override
    public float learningRate() {
        return inner.learningRate();
    }

    @Override
    public void learningRate(float lr) {
        inner.learningRate(lr);
    }

    @Override
    public String name() {
        return inner.name() + "+l2(" + lambda + ")";
    }
}
