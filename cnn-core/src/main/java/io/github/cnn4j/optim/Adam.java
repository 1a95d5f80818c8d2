package io.github.cnn4j.optim;

import io.github.cnn4j.layer.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba): {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr * mhat / (sqrt(vhat) + eps)} with bias-corrected {@code mhat, vhat}.
 */
public final class Adam implements Optimizer {
    private float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private float[][] m;
    private float[][] v;
    private long t;

    /** @param learningRate step size, typically 0.001 */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * @param learningRate step size
     * @param beta1        first-moment decay
     * @param beta2        second-moment decay
     * @param eps          denominator floor
     */
    public Adam(double learningRate, double beta1, double beta2, double eps) {
        learningRate((float) learningRate);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0)) {
            throw new IllegalArgumentException("need 0 <= beta1, beta2 < 1 and eps > 0");
        }
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
    }

    @Override
    public void step(List<Parameter> parameters, int batchSize) {
        if (m == null) {
            m = new float[parameters.size()][];
            v = new float[parameters.size()][];
            for (int i = 0; i < m.length; i++) {
                m[i] = new float[parameters.get(i).size()];
                v[i] = new float[parameters.get(i).size()];
            }
        }
        t++;
        float c1 = (float) (1 - Math.pow(beta1, t));
        float c2 = (float) (1 - Math.pow(beta2, t));
        float inv = 1f / batchSize;
        for (int k = 0; k < m.length; k++) {
            Parameter p = parameters.get(k);
            float[] w = p.value();
            float[] g = p.grad();
            float[] mk = m[k];
            float[] vk = v[k];
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] * inv;
                mk[i] = beta1 * mk[i] + (1 - beta1) * gi;
                vk[i] = beta2 * vk[i] + (1 - beta2) * gi * gi;
                float mh = mk[i] / c1;
                float vh = vk[i] / c2;
                w[i] -= lr * mh / ((float) Math.sqrt(vh) + eps);
                g[i] = 0f;
            }
        }
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
        return "adam(lr=" + lr + ")";
    }

    private Map<String, Float> hyperparameters() {
        Map<String, Float> h = new LinkedHashMap<>();
        h.put("beta1", beta1);
        h.put("beta2", beta2);
        h.put("eps", eps);
        return h;
    }

    @Override
    public OptimizerState exportState() {
        Map<String, float[][]> slots = new LinkedHashMap<>();
        if (m != null) {
            slots.put("m", OptimizerState.copy(m));
            slots.put("v", OptimizerState.copy(v));
        }
        return new OptimizerState("adam", hyperparameters(), lr, t, slots);
    }

    @Override
    public void importState(OptimizerState state) {
        state.expect("adam", hyperparameters(), List.of("m", "v"));
        float[][] sm = state.slots().get("m");
        float[][] sv = state.slots().get("v");
        if (sm != null) {
            for (int i = 0; i < sm.length; i++) {
                if (sm[i].length != sv[i].length) {
                    throw new IllegalArgumentException("adam buffers m and v differ in length at parameter " + i);
                }
            }
        }
        this.m = OptimizerState.copy(sm);
        this.v = OptimizerState.copy(sv);
        this.lr = state.learningRate();
        this.t = state.steps();
    }
}
