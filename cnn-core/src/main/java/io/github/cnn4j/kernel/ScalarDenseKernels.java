package io.github.cnn4j.kernel;

/** The loops of {@link DenseKernels} in plain Java. */
final class ScalarDenseKernels {
    private ScalarDenseKernels() {
    }

    /** See {@link DenseKernels#forward}: one weight row at a time, as EJML's {@code mult_reorder}. */
    static void forward(float[] x, int n, int inputs, float[] w, float[] b, int units, float[] y) {
        for (int m = 0; m < n; m++) {
            int yo = m * units;
            int xo = m * inputs;
            float x0 = x[xo];
            for (int u = 0; u < units; u++) {
                y[yo + u] = x0 * w[u];
            }
            for (int i = 1; i < inputs; i++) {
                float xi = x[xo + i];
                int wo = i * units;
                for (int u = 0; u < units; u++) {
                    y[yo + u] += xi * w[wo + u];
                }
            }
            for (int u = 0; u < units; u++) {
                y[yo + u] += b[u];
            }
        }
    }

    /**
     * Per sample {@code m} in order: {@code db += dz_m}, and for each input {@code i}:
     * {@code dW[i][u] = fma(x_m[i], dz_m[u], dW[i][u])} and {@code dx_m[i] = sum_u W[i][u] * dz_m[u]}
     * (fused multiply-adds in {@code u} order).
     */
    static void backwardSmall(float[] x, float[] w, float[] dz, float[] dW, float[] db, float[] dx, int batch, int inputs, int units) {
        for (int m = 0; m < batch; m++) {
            int zo = m * units;
            int xo = m * inputs;
            for (int u = 0; u < units; u++) {
                db[u] += dz[zo + u];
            }
            for (int i = 0; i < inputs; i++) {
                float xi = x[xo + i];
                int wo = i * units;
                float s = 0f;
                for (int u = 0; u < units; u++) {
                    float g = dz[zo + u];
                    dW[wo + u] = Math.fma(xi, g, dW[wo + u]);
                    s = Math.fma(w[wo + u], g, s);
                }
                if (dx != null) {
                    dx[xo + i] = s;
                }
            }
        }
    }

    /** The large-layer backward pass: {@link #backwardSmall} with {@code dx} summed in eight lanes (see {@link DenseKernels}). */
    static void backward(float[] x, float[] w, float[] dz, int n, int inputs, int units, float[] dW, float[] db, float[] dx) {
        final int end = units - units % 8;
        for (int m = 0; m < n; m++) {
            int zo = m * units;
            int xo = m * inputs;
            for (int u = 0; u < units; u++) {
                db[u] += dz[zo + u];
            }
            for (int i = 0; i < inputs; i++) {
                float xi = x[xo + i];
                int wo = i * units;
                for (int u = 0; u < units; u++) {
                    dW[wo + u] = Math.fma(xi, dz[zo + u], dW[wo + u]);
                }
                if (dx == null) {
                    continue;
                }
                float a0 = 0f;
                float a1 = 0f;
                float a2 = 0f;
                float a3 = 0f;
                float a4 = 0f;
                float a5 = 0f;
                float a6 = 0f;
                float a7 = 0f;
                int u = 0;
                for (; u < end; u += 8) {
                    a0 = Math.fma(w[wo + u], dz[zo + u], a0);
                    a1 = Math.fma(w[wo + u + 1], dz[zo + u + 1], a1);
                    a2 = Math.fma(w[wo + u + 2], dz[zo + u + 2], a2);
                    a3 = Math.fma(w[wo + u + 3], dz[zo + u + 3], a3);
                    a4 = Math.fma(w[wo + u + 4], dz[zo + u + 4], a4);
                    a5 = Math.fma(w[wo + u + 5], dz[zo + u + 5], a5);
                    a6 = Math.fma(w[wo + u + 6], dz[zo + u + 6], a6);
                    a7 = Math.fma(w[wo + u + 7], dz[zo + u + 7], a7);
                }
                float s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
                for (; u < units; u++) {
                    s = Math.fma(w[wo + u], dz[zo + u], s);
                }
                dx[xo + i] = s;
            }
        }
    }
}
