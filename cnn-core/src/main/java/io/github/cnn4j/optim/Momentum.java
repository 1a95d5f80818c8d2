package io.github.cnn4j.optim;

import io.github.cnn4j.layer.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SGD with (heavy-ball) momentum: {@code v = mu * v + g; w -= lr * v}.
 */
public final class Momentum implements Optimizer {
    private float lr;
    private final float mu;
    private float[][] velocity;
    private long steps;

    /**
     * @param learningRate step size
     * @param momentum     {@code mu} in [0, 1), typically 0.9
     */
    public Momentum(double learningRate, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        learningRate((float) learningRate);
        this.mu = (float) momentum;
    }

    @Override
    public void step(List<Parameter> parameters, int batchSize) {
        if (velocity == null) {
            velocity = new float[parameters.size()][];
            for (int i = 0; i < velocity.length; i++) {
                velocity[i] = new float[parameters.get(i).size()];
            }
        }
        float inv = 1f / batchSize;
        for (int k = 0; k < velocity.length; k++) {
            Parameter p = parameters.get(k);
            float[] w = p.value();
            float[] g = p.grad();
            float[] v = velocity[k];
            for (int i = 0; i < w.length; i++) {
                v[i] = mu * v[i] + g[i] * inv;
                w[i] -= lr * v[i];
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
        return "momentum(lr=" + lr + ", mu=" + mu + ")";
    }

    @Override
    public OptimizerState exportState() {
        Map<String, float[][]> slots = new LinkedHashMap<>();
        if (velocity != null) {
            slots.put("velocity", OptimizerState.copy(velocity));
        }
        return new OptimizerState("momentum", Map.of("momentum", mu), lr, steps, slots);
    }

    @Override
    public void importState(OptimizerState state) {
        state.expect("momentum", Map.of("momentum", mu), List.of("velocity"));
        this.velocity = OptimizerState.copy(state.slots().get("velocity"));
        this.lr = state.learningRate();
        this.steps = state.steps();
    }
}
