package io.github.cnn4j.kernel;

/**
 * Batch normalization over a batch of {@code n} samples of {@code C} channels of {@code S} values
 * each (a sample is {@code (C, S)}: {@code S = H * W} after a convolution, 1 after a dense layer).
 *
 * <h2>Math</h2>
 * With {@code M = n * S} values per channel:
 * <pre>
 *   mu_c = (1 / M) sum x,   var_c = (1 / M) sum (x - mu_c)^2,   inv_c = 1 / sqrt(var_c + eps)
 *   h = (x - mu_c) * inv_c,   y = gamma_c * h + beta_c
 *   dbeta_c += sum dy,   dgamma_c += sum dy * h
 *   dx = inv_c gamma_c / M * (M dy - sum dy - h * sum dy h)     (batch statistics)
 *   dx = inv_c gamma_c * dy                                      (fixed statistics)
 * </pre>
 * {@code h} is not stored: the backward pass recomputes it from {@code x} and the statistics with
 * the same operations, so it has the same bits as in the forward pass.
 *
 * <h2>Summation order (both implementations)</h2>
 * Every channel is summed plane by plane (one sample's {@code S} values at a time): a plane's sum
 * runs in eight lanes (lane {@code l} adds values {@code l, l + 8, l + 16, ...} of the plane's first
 * {@code S - S mod 8} values in order), the lanes are added pairwise
 * {@code ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))}, then the last {@code S mod 8} values in
 * order, all in float; the plane sums are added in sample order in double. Squares and products
 * are fused multiply-adds. The order depends only on {@code S}, so the results do not depend on the
 * threads, and the scalar kernels (eight accumulators) and the Vector API kernels (one eight-lane
 * vector) give the same bits in the forward and in the backward pass.
 *
 * <p>{@link Vectorization} chooses the implementation once; this class only routes each call.
 */
public final class BatchNormKernels {
    /**
     * Planes of fewer values (a dense layer's features: one value per channel and sample) run the
     * scalar kernels even with the Vector API: a vector pass would be all tail, plus a horizontal sum
     * of an empty vector per call. Same bits either way.
     */
    static final int SHORT = 8;

    private BatchNormKernels() {
    }

    /**
     * Batch statistics: {@code stats[c] = mu_c}, {@code stats[C + c] = inv_c}.
     *
     * @param x       input, {@code n} samples of {@code (C, S)} from index 0 (not modified)
     * @param n       samples
     * @param c       channels
     * @param spatial values per channel and sample, {@code S}
     * @param eps     added to the variance
     * @param stats   at least {@code 2C} floats (modified)
     */
    public static void statistics(float[] x, int n, int c, int spatial, double eps, float[] stats) {
        statistics(x, n, c, spatial, eps, stats, Vectorization.ENABLED);
    }

    static void statistics(float[] x, int n, int c, int spatial, double eps, float[] stats, boolean vectorKernels) {
        final boolean vector = vectorKernels && spatial >= SHORT;
        final int size = c * spatial;
        final double m = (double) n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                int off = s * size + ch * spatial;
                sum += vector ? VectorBatchNormKernels.sum(x, off, spatial) : ScalarBatchNormKernels.sum(x, off, spatial);
            }
            float mean = (float) (sum / m);
            double sq = 0;
            for (int s = 0; s < n; s++) {
                int off = s * size + ch * spatial;
                sq += vector ? VectorBatchNormKernels.squaredDeviations(x, off, spatial, mean)
                        : ScalarBatchNormKernels.squaredDeviations(x, off, spatial, mean);
            }
            stats[ch] = mean;
            stats[c + ch] = (float) (1 / Math.sqrt(sq / m + eps));
        }
    }

    /**
     * Fixed statistics from running estimates: {@code stats[c] = mean[c]},
     * {@code stats[C + c] = 1 / sqrt(var[c] + eps)}.
     *
     * @param mean  running means {@code (C)} (not modified)
     * @param var   running variances {@code (C)} (not modified)
     * @param c     channels
     * @param eps   added to the variance
     * @param stats at least {@code 2C} floats (modified)
     */
    public static void fixedStatistics(float[] mean, float[] var, int c, double eps, float[] stats) {
        for (int ch = 0; ch < c; ch++) {
            stats[ch] = mean[ch];
            stats[c + ch] = (float) (1 / Math.sqrt(var[ch] + eps));
        }
    }

    /**
     * Forward pass: {@code y = gamma_c * (x - mu_c) * inv_c + beta_c}.
     *
     * @param x       input, {@code n} samples of {@code (C, S)} (not modified)
     * @param n       samples
     * @param c       channels
     * @param spatial values per channel and sample
     * @param stats   {@code mu} then {@code inv}, {@code 2C} floats (not modified)
     * @param gamma   scales {@code (C)} (not modified)
     * @param beta    shifts {@code (C)} (not modified)
     * @param y       output (modified: {@code n * C * S} floats written; may not be {@code x})
     */
    public static void normalize(float[] x, int n, int c, int spatial, float[] stats, float[] gamma, float[] beta, float[] y) {
        normalize(x, n, c, spatial, stats, gamma, beta, y, Vectorization.ENABLED);
    }

    static void normalize(float[] x, int n, int c, int spatial, float[] stats, float[] gamma, float[] beta, float[] y,
                          boolean vectorKernels) {
        final boolean vector = vectorKernels && spatial >= SHORT;
        final int size = c * spatial;
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                int off = s * size + ch * spatial;
                if (vector) {
                    VectorBatchNormKernels.normalize(x, off, spatial, stats[ch], stats[c + ch], gamma[ch], beta[ch], y);
                } else {
                    ScalarBatchNormKernels.normalize(x, off, spatial, stats[ch], stats[c + ch], gamma[ch], beta[ch], y);
                }
            }
        }
    }

    /**
     * Backward pass: accumulates {@code dgamma} and {@code dbeta} and writes {@code dx}.
     *
     * @param x          the forward input (not modified)
     * @param dy         output gradient, same layout (not modified)
     * @param n          samples
     * @param c          channels
     * @param spatial    values per channel and sample
     * @param stats      the statistics of the forward pass (not modified)
     * @param gamma      scales {@code (C)} (not modified)
     * @param batchStats whether the forward pass normalized with the batch's own statistics
     *                   (then they depend on {@code x} and {@code dx} has the two extra terms)
     * @param dGamma     accumulated into
     * @param dBeta      accumulated into
     * @param dx         input gradient (modified), or {@code null} to skip it
     */
    public static void backward(float[] x, float[] dy, int n, int c, int spatial, float[] stats, float[] gamma, boolean batchStats,
                                float[] dGamma, float[] dBeta, float[] dx) {
        backward(x, dy, n, c, spatial, stats, gamma, batchStats, dGamma, dBeta, dx, Vectorization.ENABLED);
    }

    static void backward(float[] x, float[] dy, int n, int c, int spatial, float[] stats, float[] gamma, boolean batchStats,
                         float[] dGamma, float[] dBeta, float[] dx, boolean vectorKernels) {
        final boolean vector = vectorKernels && spatial >= SHORT;
        final int size = c * spatial;
        final float m = (float) n * spatial;
        for (int ch = 0; ch < c; ch++) {
            float mean = stats[ch];
            float inv = stats[c + ch];
            double sumDy = 0;
            double sumDyH = 0;
            for (int s = 0; s < n; s++) {
                int off = s * size + ch * spatial;
                if (vector) {
                    sumDy += VectorBatchNormKernels.sum(dy, off, spatial);
                    sumDyH += VectorBatchNormKernels.gradientDotH(dy, x, off, spatial, mean, inv);
                } else {
                    sumDy += ScalarBatchNormKernels.sum(dy, off, spatial);
                    sumDyH += ScalarBatchNormKernels.gradientDotH(dy, x, off, spatial, mean, inv);
                }
            }
            float db = (float) sumDy;
            float dg = (float) sumDyH;
            dBeta[ch] += db;
            dGamma[ch] += dg;
            if (dx == null) {
                continue;
            }
            float scale = gamma[ch] * inv;
            for (int s = 0; s < n; s++) {
                int off = s * size + ch * spatial;
                if (!batchStats) {
                    if (vector) {
                        VectorBatchNormKernels.scale(dy, off, spatial, scale, dx);
                    } else {
                        ScalarBatchNormKernels.scale(dy, off, spatial, scale, dx);
                    }
                } else if (vector) {
                    VectorBatchNormKernels.inputGradient(dy, x, off, spatial, mean, inv, scale / m, m, db, dg, dx);
                } else {
                    ScalarBatchNormKernels.inputGradient(dy, x, off, spatial, mean, inv, scale / m, m, db, dg, dx);
                }
            }
        }
    }
}
