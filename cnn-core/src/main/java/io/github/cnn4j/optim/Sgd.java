package io.github.cnn4j.optim;

import io.github.cnn4j.layer.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Plain stochastic gradient descent, {@code w -= lr * g}: with batch size 1 exactly the paper's
 * update {@code Δw = α·x·δ} (for conv biases the gradient is the sum of {@code dL/dZ} over positions).
 */
public final class Sgd implements Optimizer {
    private float lr;
    private long steps;

    /** @param learningRate the step size, positive */
    public Sgd(double learningRate) {
        learningRate((float) learningRate);
    }

    @Override
    public void step(List<Parameter> parameters, int batchSize) {
        float scale = batchSize == 1 ? lr : lr / batchSize;
        for (Parameter p : parameters) {
            float[] w = p.value();
            float[] g = p.grad();
            for (int i = 0; i < w.length; i++) {
                w[i] -= scale * g[i];
                g[i] = 0f;
            }
        }
        steps++;
    }

    @Override
    public float learningRate() {
        return lr;
    }

    @Override
    public void learningRate(float lr) {
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + lr);
        }
        this.lr = lr;
    }

    @Override
    public String name() {
        return "sgd(lr=" + lr + ")";
    }

    @Override
    public OptimizerState exportState() {
        return new OptimizerState("sgd", Map.of(), lr, steps, Map.of());
    }

    @Override
    public void importState(OptimizerState state) {
        state.expect("sgd", Map.of(), List.of());
        if (!state.slots().isEmpty()) {
            throw new IllegalArgumentException("an sgd state has no buffers, found " + state.slots().keySet());
        }
        this.lr = state.learningRate();
        this.steps = state.steps();
    }
}
