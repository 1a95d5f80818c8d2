package io.github.cnn4j.loss;

import io.github.cnn4j.tensor.Tensor;
import java.util.Arrays;

/**
 * Categorical cross-entropy {@code L = -log(max(p[label], 1e-9))} over probabilities.
 *
 * <p>After a {@link io.github.cnn4j.layer.Softmax} the gradient w.r.t. the logits is
 * {@code p - onehot(label)}: bounded and exact, with no division by small probabilities. The model
 * uses it in place of the softmax's own backward pass.
 */
public final class CrossEntropy implements Loss {
    /** Probabilities are clipped here before the logarithm, as the paper's code did. */
    public static final double EPSILON = 1e-9;

    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public double loss(Tensor p, int[] labels, int offset) {
        int k = p.shape().size();
        float[] d = p.data();
        double sum = 0;
        for (int n = 0; n < p.batch(); n++) {
            sum -= Math.log(Math.max(d[n * k + checkLabel(labels[offset + n], k)], EPSILON));
        }
        return sum;
    }

    @Override
    public void gradient(Tensor p, int[] labels, int offset, Tensor grad) {
        int k = p.shape().size();
        float[] d = p.data();
        float[] g = grad.data();
        Arrays.fill(g, 0, p.length(), 0f);
        for (int n = 0; n < p.batch(); n++) {
            int y = checkLabel(labels[offset + n], k);
            g[n * k + y] = (float) (-1.0 / Math.max(d[n * k + y], EPSILON));
        }
    }

    /** @return {@code -log(EPSILON)}, about 20.72: the loss of a sample whose label got a probability of at most 1e-9 */
    @Override
    public double maxSampleLoss() {
        return -Math.log(EPSILON);
    }

    /** @return {@code ln(classes)} */
    @Override
    public double uniformGuessLoss(int classes) {
        return Math.log(classes);
    }

    @Override
    public boolean fusesWithSoftmax() {
        return true;
    }

    @Override
    public void softmaxInputGradient(Tensor p, int[] labels, int offset, Tensor grad) {
        int k = p.shape().size();
        System.arraycopy(p.data(), 0, grad.data(), 0, p.length());
        float[] g = grad.data();
        for (int n = 0; n < p.batch(); n++) {
            g[n * k + checkLabel(labels[offset + n], k)] -= 1f;
        }
    }

    static int checkLabel(int y, int k) {
        if (y < 0 || y >= k) {
            throw new IllegalArgumentException("label " + y + " outside 0.." + (k - 1));
        }
        return y;
    }
}
