package io.github.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The plane kernels of {@link BatchNormKernels} on the Java Vector API, eight floats at a time:
 * the same operations in the same order as {@link ScalarBatchNormKernels}, so the same bits. Loaded
 * only when {@link Vectorization#enabled()}.
 */
final class VectorBatchNormKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;

    private VectorBatchNormKernels() {
    }

    /** The lanes added pairwise in the documented order. */
    private static float lanes(FloatVector v) {
        return ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3))) + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
    }

    static float sum(float[] x, int off, int len) {
        FloatVector a = FloatVector.zero(S);
        final int end = off + len - len % L;
        int i = off;
        for (; i < end; i += L) {
            a = a.add(FloatVector.fromArray(S, x, i));
        }
        float r = lanes(a);
        for (; i < off + len; i++) {
            r += x[i];
        }
        return r;
    }

    static float squaredDeviations(float[] x, int off, int len, float mean) {
        FloatVector a = FloatVector.zero(S);
        final int end = off + len - len % L;
        int i = off;
        for (; i < end; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, i).sub(mean);
            a = d.fma(d, a);
        }
        float r = lanes(a);
        for (; i < off + len; i++) {
            float d = x[i] - mean;
            r = Math.fma(d, d, r);
        }
        return r;
    }

    static float gradientDotH(float[] dy, float[] x, int off, int len, float mean, float inv) {
        FloatVector a = FloatVector.zero(S);
        final int end = off + len - len % L;
        int i = off;
        for (; i < end; i += L) {
            FloatVector h = FloatVector.fromArray(S, x, i).sub(mean).mul(inv);
            a = FloatVector.fromArray(S, dy, i).fma(h, a);
        }
        float r = lanes(a);
        for (; i < off + len; i++) {
            r = Math.fma(dy[i], (x[i] - mean) * inv, r);
        }
        return r;
    }

    static void normalize(float[] x, int off, int len, float mean, float inv, float g, float b, float[] y) {
        final int end = off + len - len % L;
        int i = off;
        for (; i < end; i += L) {
            FloatVector h = FloatVector.fromArray(S, x, i).sub(mean).mul(inv);
            h.mul(g).add(b).intoArray(y, i);
        }
        for (; i < off + len; i++) {
            y[i] = g * ((x[i] - mean) * inv) + b;
        }
    }

    static void inputGradient(float[] dy, float[] x, int off, int len, float mean, float inv, float k, float m, float db, float dg, float[] dx) {
        final int end = off + len - len % L;
        int i = off;
        for (; i < end; i += L) {
            FloatVector h = FloatVector.fromArray(S, x, i).sub(mean).mul(inv);
            FloatVector t = FloatVector.fromArray(S, dy, i).mul(m).sub(db);
            t.sub(h.mul(dg)).mul(k).intoArray(dx, i);
        }
        for (; i < off + len; i++) {
            dx[i] = k * ((m * dy[i] - db) - ((x[i] - mean) * inv) * dg);
        }
    }

    static void scale(float[] dy, int off, int len, float scale, float[] dx) {
        final int end = off + len - len % L;
        int i = off;
        for (; i < end; i += L) {
            FloatVector.fromArray(S, dy, i).mul(scale).intoArray(dx, i);
        }
        for (; i < off + len; i++) {
            dx[i] = scale * dy[i];
        }
    }
}
