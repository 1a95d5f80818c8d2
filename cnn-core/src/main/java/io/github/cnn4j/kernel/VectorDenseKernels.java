package io.github.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of {@link DenseKernels} on the Java Vector API, eight units at a time: the same
 * operations in the same order as {@link ScalarDenseKernels}, so the same bits. Loaded only when
 * {@link Vectorization#enabled()}.
 */
final class VectorDenseKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;

    private VectorDenseKernels() {
    }

    static void forward(float[] x, int n, int inputs, float[] w, float[] b, int units, float[] y) {
        final int end = units - units % L;
        for (int m = 0; m < n; m++) {
            final int yo = m * units;
            final int xo = m * inputs;
            float x0 = x[xo];
            int u = 0;
            for (; u < end; u += L) {
                FloatVector.fromArray(S, w, u).mul(x0).intoArray(y, yo + u);
            }
            for (; u < units; u++) {
                y[yo + u] = x0 * w[u];
            }
            for (int i = 1; i < inputs; i++) {
                float xi = x[xo + i];
                int wo = i * units;
                u = 0;
                for (; u < end; u += L) {
                    FloatVector.fromArray(S, y, yo + u).add(FloatVector.fromArray(S, w, wo + u).mul(xi)).intoArray(y, yo + u);
                }
                for (; u < units; u++) {
                    y[yo + u] += xi * w[wo + u];
                }
            }
            u = 0;
            for (; u < end; u += L) {
                FloatVector.fromArray(S, y, yo + u).add(FloatVector.fromArray(S, b, u)).intoArray(y, yo + u);
            }
            for (; u < units; u++) {
                y[yo + u] += b[u];
            }
        }
    }

    static void backward(float[] x, float[] w, float[] dz, int n, int inputs, int units, float[] dW, float[] db, float[] dx) {
        final int end = units - units % L;
        for (int m = 0; m < n; m++) {
            final int zo = m * units;
            final int xo = m * inputs;
            int u = 0;
            for (; u < end; u += L) {
                FloatVector.fromArray(S, db, u).add(FloatVector.fromArray(S, dz, zo + u)).intoArray(db, u);
            }
            for (; u < units; u++) {
                db[u] += dz[zo + u];
            }
            for (int i = 0; i < inputs; i++) {
                float xi = x[xo + i];
                int wo = i * units;
                FloatVector xv = FloatVector.broadcast(S, xi);
                FloatVector acc = FloatVector.zero(S);
                u = 0;
                for (; u < end; u += L) {
                    FloatVector g = FloatVector.fromArray(S, dz, zo + u);
                    g.fma(xv, FloatVector.fromArray(S, dW, wo + u)).intoArray(dW, wo + u);
                    acc = FloatVector.fromArray(S, w, wo + u).fma(g, acc);
                }
                float s = ((acc.lane(0) + acc.lane(1)) + (acc.lane(2) + acc.lane(3))) + ((acc.lane(4) + acc.lane(5)) + (acc.lane(6) + acc.lane(7)));
                for (; u < units; u++) {
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
}
