package io.github.cnn4j.loss;

import io.github.cnn4j.tensor.Tensor;

/**
 * Mean squared error against one-hot targets: {@code L = (1/K) sum_k (p_k - t_k)^2}, gradient
 * {@code (2/K)(p - t)}.
 */
public final class MeanSquaredError implements Loss {
    @Override
    public String name() {
        return "mse";
    }

    @Override
    public double loss(Tensor p, int[] labels, int offset) {
        int k = p.shape().size();
        float[] d = p.data();
        double sum = 0;
        for (int n = 0; n < p.batch(); n++) {
            int y = CrossEntropy.checkLabel(labels[offset + n], k);
            double s = 0;
            for (int j = 0; j < k; j++) {
                double e = d[n * k + j] - (j == y ? 1.0 : 0.0);
                s += e * e;
            }
            sum += s / k;
        }
        return sum;
    }

    @Override
    public void gradient(Tensor p, int[] labels, int offset, Tensor grad) {
        int k = p.shape().size();
        float[] d = p.data();
        float[] g = grad.data();
        float scale = 2f / k;
        for (int n = 0; n < p.batch(); n++) {
            int y = CrossEntropy.checkLabel(labels[offset + n], k);
            for (int j = 0; j < k; j++) {
                g[n * k + j] = scale * (d[n * k + j] - (j == y ? 1f : 0f));
            }
        }
    }
}
