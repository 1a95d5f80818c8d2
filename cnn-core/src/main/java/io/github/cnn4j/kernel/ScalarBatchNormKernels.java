package io.github.cnn4j.kernel;

/**
 * The plane kernels of {@link BatchNormKernels} in plain Java: reductions in eight scalar
 * accumulators (the lanes of the documented order; eight independent chains also hide the latency
 * of the adds), element-wise loops that C2 vectorizes. Each method works on one plane
 * {@code [off, off + len)}.
 */
final class ScalarBatchNormKernels {
    private ScalarBatchNormKernels() {
    }

    /** {@code sum x} in the documented order. */
    static float sum(float[] x, int off, int len) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        float a4 = 0f;
        float a5 = 0f;
        float a6 = 0f;
        float a7 = 0f;
        final int end = off + len - len % 8;
        int i = off;
        for (; i < end; i += 8) {
            a0 += x[i];
            a1 += x[i + 1];
            a2 += x[i + 2];
            a3 += x[i + 3];
            a4 += x[i + 4];
            a5 += x[i + 5];
            a6 += x[i + 6];
            a7 += x[i + 7];
        }
        float r = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
        for (; i < off + len; i++) {
            r += x[i];
        }
        return r;
    }

    /** {@code sum (x - mean)^2} in the documented order, fused multiply-adds. */
    static float squaredDeviations(float[] x, int off, int len, float mean) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        float a4 = 0f;
        float a5 = 0f;
        float a6 = 0f;
        float a7 = 0f;
        final int end = off + len - len % 8;
        int i = off;
        for (; i < end; i += 8) {
            float d0 = x[i] - mean;
            float d1 = x[i + 1] - mean;
            float d2 = x[i + 2] - mean;
            float d3 = x[i + 3] - mean;
            float d4 = x[i + 4] - mean;
            float d5 = x[i + 5] - mean;
            float d6 = x[i + 6] - mean;
            float d7 = x[i + 7] - mean;
            a0 = Math.fma(d0, d0, a0);
            a1 = Math.fma(d1, d1, a1);
            a2 = Math.fma(d2, d2, a2);
            a3 = Math.fma(d3, d3, a3);
            a4 = Math.fma(d4, d4, a4);
            a5 = Math.fma(d5, d5, a5);
            a6 = Math.fma(d6, d6, a6);
            a7 = Math.fma(d7, d7, a7);
        }
        float r = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
        for (; i < off + len; i++) {
            float d = x[i] - mean;
            r = Math.fma(d, d, r);
        }
        return r;
    }

    /** {@code sum dy * h} with {@code h = (x - mean) * inv}, in the documented order. */
    static float gradientDotH(float[] dy, float[] x, int off, int len, float mean, float inv) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        float a4 = 0f;
        float a5 = 0f;
        float a6 = 0f;
        float a7 = 0f;
        final int end = off + len - len % 8;
        int i = off;
        for (; i < end; i += 8) {
            a0 = Math.fma(dy[i], (x[i] - mean) * inv, a0);
            a1 = Math.fma(dy[i + 1], (x[i + 1] - mean) * inv, a1);
            a2 = Math.fma(dy[i + 2], (x[i + 2] - mean) * inv, a2);
            a3 = Math.fma(dy[i + 3], (x[i + 3] - mean) * inv, a3);
            a4 = Math.fma(dy[i + 4], (x[i + 4] - mean) * inv, a4);
            a5 = Math.fma(dy[i + 5], (x[i + 5] - mean) * inv, a5);
            a6 = Math.fma(dy[i + 6], (x[i + 6] - mean) * inv, a6);
            a7 = Math.fma(dy[i + 7], (x[i + 7] - mean) * inv, a7);
        }
        float r = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
        for (; i < off + len; i++) {
            r = Math.fma(dy[i], (x[i] - mean) * inv, r);
        }
        return r;
    }

    /** {@code y = g * ((x - mean) * inv) + b}. */
    static void normalize(float[] x, int off, int len, float mean, float inv, float g, float b, float[] y) {
        for (int i = off; i < off + len; i++) {
            y[i] = g * ((x[i] - mean) * inv) + b;
        }
    }

    /** {@code dx = k * ((m * dy - db) - h * dg)} with {@code h = (x - mean) * inv}. */
    static void inputGradient(float[] dy, float[] x, int off, int len, float mean, float inv, float k, float m, float db, float dg, float[] dx) {
        for (int i = off; i < off + len; i++) {
            dx[i] = k * ((m * dy[i] - db) - ((x[i] - mean) * inv) * dg);
        }
    }

    /** {@code dx = scale * dy}. */
    static void scale(float[] dy, int off, int len, float scale, float[] dx) {
        for (int i = off; i < off + len; i++) {
            dx[i] = scale * dy[i];
        }
    }
}
