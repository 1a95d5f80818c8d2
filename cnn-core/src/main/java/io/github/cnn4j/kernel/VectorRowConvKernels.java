package io.github.cnn4j.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The convolution backward pass for outputs whose rows are whole vectors ({@code OW} a multiple of
 * eight), on the Java Vector API: every eight consecutive outputs of a row are one vector, and the
 * input values that a tap meets there are eight consecutive floats of an input row, so both
 * gradients are register-blocked products read straight from {@code x}, {@code dy} and written
 * straight into {@code dx}, with neither the wide layout's zero positions nor packed copies. Chosen
 * by {@link VectorConvKernels#backward}; loaded only when the Vector API is.
 *
 * <h2>Math and order of the sums (determinism)</h2>
 * Position vectors {@code t} run over samples, output rows and column blocks in order. With
 * {@code X_t,k} the eight input values tap {@code k = (c, u, v)} meets at position vector {@code t}
 * and {@code G_t,f} the eight values of {@code dy}:
 * <pre>
 *   dW[f, k] += lanes(sum_t G_t,f * X_t,k)       db[f] += lanes(sum_t G_t,f)
 *   dX_t,k    = sum_f w[f, k] * G_t,f            (added into the eight input positions of X_t,k)
 * </pre>
 * A weight-gradient lane is one chain of fused multiply-adds over {@code t} in order; the lanes
 * are added pairwise ({@code ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))}) and the result is
 * added to {@code dW}. {@code dX_t,k} is one chain of fused multiply-adds over {@code f} in order
 * from zero; the input gradient receives them block by block of four taps, position vector by
 * position vector. The order depends only on the shapes and {@code n}.
 */
final class VectorRowConvKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;

    private VectorRowConvKernels() {
    }

    /** Whether this class handles the shape: output rows of whole vectors. */
    static boolean handles(int w, int kw, int pad) {
        return (w + 2 * pad - kw + 1) % L == 0;
    }

    /**
     * Backward pass for {@code n} samples; the parameters are those of {@link ConvKernels#backward}.
     * {@code dWeight} and {@code dBias} are accumulated into unless {@code dWeight} is {@code null};
     * {@code dx} is overwritten unless it is {@code null}.
     */
    static void backward(float[] x, int xOff, int n, int c, int h, int w,
                         float[] weight, int f, int kh, int kw, int pad,
                         float[] dy, int dyOff,
                         float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch s) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int sample = c * ph * pw;
        final int outPlane = oh * ow;
        final int outSize = f * outPlane;
        final int per = ow / L;
        final int count = n * oh * per;
        s.tapOffsets = ConvScratch.grow(s.tapOffsets, taps + 2 * count);
        final int[] idx = s.tapOffsets;
        for (int ci = 0, k = 0; ci < c; ci++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, k++) {
                    idx[k] = ci * ph * pw + u * pw + v;
                }
            }
        }
        // idx[taps + t]: position vector t in a (padded) sample buffer; idx[taps + count + t]: in dy
        for (int m = 0, t = taps; m < n; m++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j += L, t++) {
                    idx[t] = m * sample + i * pw + j;
                    idx[t + count] = m * outSize + i * ow + j;
                }
            }
        }
        final int rel = taps;
        final int dyRel = taps + count;
        if (dWeight != null) {
            final float[] src;
            final int sb;
            if (pad == 0) {
                src = x;
                sb = xOff;
            } else {
                s.padded = ConvScratch.grow(s.padded, n * sample);
                for (int m = 0; m < n; m++) {
                    ConvLayout.pad(x, xOff + m * inSize, c, h, w, pad, s.padded, m * sample);
                }
                src = s.padded;
                sb = 0;
            }
            final int lanes = (f * taps + f) * L;
            s.lanes = ConvScratch.grow(s.lanes, lanes);
            final float[] acc = s.lanes;
            Arrays.fill(acc, 0, lanes, 0f);
            int fi = 0;
            for (; fi + 4 <= f; fi += 4) {
                int k = 0;
                for (; k + 2 <= taps; k += 2) {
                    wg4x2(src, sb, idx, rel, count, idx[k], idx[k + 1], dy, dyOff + fi * outPlane, dyRel, outPlane, acc,
                            (fi * taps + k) * L, taps * L);
                }
                for (; k < taps; k++) {
                    for (int q = 0; q < 4; q++) {
                        wg1(src, sb, idx, rel, count, idx[k], dy, dyOff + (fi + q) * outPlane, dyRel, acc, ((fi + q) * taps + k) * L);
                    }
                }
            }
            for (; fi < f; fi++) {
                int k = 0;
                for (; k + 4 <= taps; k += 4) {
                    wg1x4(src, sb, idx, rel, count, idx[k], idx[k + 1], idx[k + 2], idx[k + 3], dy, dyOff + fi * outPlane, dyRel,
                            acc, (fi * taps + k) * L);
                }
                for (; k < taps; k++) {
                    wg1(src, sb, idx, rel, count, idx[k], dy, dyOff + fi * outPlane, dyRel, acc, (fi * taps + k) * L);
                }
            }
            for (fi = 0; fi < f; fi++) {
                FloatVector a = FloatVector.zero(S);
                int d = dyOff + fi * outPlane;
                for (int t = 0; t < count; t++) {
                    a = a.add(FloatVector.fromArray(S, dy, d + idx[dyRel + t]));
                }
                dBias[fi] += VectorConvKernels.lanes(a);
            }
            for (int i = 0; i < f * taps; i++) {
                dWeight[i] += lanes(acc, i * L);
            }
        }
        if (dx != null) {
            final float[] dst;
            final int db;
            if (pad == 0) {
                dst = dx;
                db = dxOff;
            } else {
                s.padded2 = ConvScratch.grow(s.padded2, n * sample);
                dst = s.padded2;
                db = 0;
            }
            Arrays.fill(dst, db, db + n * sample, 0f);
            int k = 0;
            for (; k + 4 <= taps; k += 4) {
                int t = 0;
                for (; t + 2 <= count; t += 2) {
                    ig4x2(weight, taps, f, k, dy, dyOff, idx[dyRel + t], idx[dyRel + t + 1], outPlane, dst,
                            db + idx[rel + t], db + idx[rel + t + 1], idx[k], idx[k + 1], idx[k + 2], idx[k + 3]);
                }
                for (; t < count; t++) {
                    for (int q = 0; q < 4; q++) {
                        ig1(weight, taps, f, k + q, dy, dyOff + idx[dyRel + t], outPlane, dst, db + idx[rel + t] + idx[k + q]);
                    }
                }
            }
            for (; k < taps; k++) {
                for (int t = 0; t < count; t++) {
                    ig1(weight, taps, f, k, dy, dyOff + idx[dyRel + t], outPlane, dst, db + idx[rel + t] + idx[k]);
                }
            }
            if (pad > 0) {
                for (int m = 0; m < n; m++) {
                    for (int ci = 0; ci < c; ci++) {
                        int from = m * sample + ci * ph * pw + pad * pw + pad;
                        for (int i = 0; i < h; i++) {
                            System.arraycopy(dst, from + i * pw, dx, dxOff + m * inSize + (ci * h + i) * w, w);
                        }
                    }
                }
            }
        }
    }

    /** Lane sums of four filters (gradients from {@code d}, {@code outPlane} apart) by two taps, continued over all positions. */
    private static void wg4x2(float[] src, int sb, int[] idx, int rel, int count, int ta, int tb, float[] dy, int d, int dyRel,
                              int outPlane, float[] acc, int o, int stride) {
        FloatVector a0 = FloatVector.fromArray(S, acc, o);
        FloatVector a1 = FloatVector.fromArray(S, acc, o + L);
        FloatVector b0 = FloatVector.fromArray(S, acc, o + stride);
        FloatVector b1 = FloatVector.fromArray(S, acc, o + stride + L);
        FloatVector c0 = FloatVector.fromArray(S, acc, o + 2 * stride);
        FloatVector c1 = FloatVector.fromArray(S, acc, o + 2 * stride + L);
        FloatVector d0 = FloatVector.fromArray(S, acc, o + 3 * stride);
        FloatVector d1 = FloatVector.fromArray(S, acc, o + 3 * stride + L);
        for (int t = 0; t < count; t++) {
            int xo = sb + idx[rel + t];
            int go = d + idx[dyRel + t];
            FloatVector x0 = FloatVector.fromArray(S, src, xo + ta);
            FloatVector x1 = FloatVector.fromArray(S, src, xo + tb);
            FloatVector g = FloatVector.fromArray(S, dy, go);
            a0 = g.fma(x0, a0);
            a1 = g.fma(x1, a1);
            g = FloatVector.fromArray(S, dy, go + outPlane);
            b0 = g.fma(x0, b0);
            b1 = g.fma(x1, b1);
            g = FloatVector.fromArray(S, dy, go + 2 * outPlane);
            c0 = g.fma(x0, c0);
            c1 = g.fma(x1, c1);
            g = FloatVector.fromArray(S, dy, go + 3 * outPlane);
            d0 = g.fma(x0, d0);
            d1 = g.fma(x1, d1);
        }
        a0.intoArray(acc, o);
        a1.intoArray(acc, o + L);
        b0.intoArray(acc, o + stride);
        b1.intoArray(acc, o + stride + L);
        c0.intoArray(acc, o + 2 * stride);
        c1.intoArray(acc, o + 2 * stride + L);
        d0.intoArray(acc, o + 3 * stride);
        d1.intoArray(acc, o + 3 * stride + L);
    }

    /** Lane sums of one filter by four consecutive taps. */
    private static void wg1x4(float[] src, int sb, int[] idx, int rel, int count, int t0, int t1, int t2, int t3,
                              float[] dy, int d, int dyRel, float[] acc, int o) {
        FloatVector a0 = FloatVector.fromArray(S, acc, o);
        FloatVector a1 = FloatVector.fromArray(S, acc, o + L);
        FloatVector a2 = FloatVector.fromArray(S, acc, o + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, acc, o + 3 * L);
        for (int t = 0; t < count; t++) {
            int xo = sb + idx[rel + t];
            FloatVector g = FloatVector.fromArray(S, dy, d + idx[dyRel + t]);
            a0 = g.fma(FloatVector.fromArray(S, src, xo + t0), a0);
            a1 = g.fma(FloatVector.fromArray(S, src, xo + t1), a1);
            a2 = g.fma(FloatVector.fromArray(S, src, xo + t2), a2);
            a3 = g.fma(FloatVector.fromArray(S, src, xo + t3), a3);
        }
        a0.intoArray(acc, o);
        a1.intoArray(acc, o + L);
        a2.intoArray(acc, o + 2 * L);
        a3.intoArray(acc, o + 3 * L);
    }

    /** Lane sums of one filter by one tap. */
    private static void wg1(float[] src, int sb, int[] idx, int rel, int count, int ta, float[] dy, int d, int dyRel,
                            float[] acc, int o) {
        FloatVector a0 = FloatVector.fromArray(S, acc, o);
        for (int t = 0; t < count; t++) {
            a0 = FloatVector.fromArray(S, dy, d + idx[dyRel + t]).fma(FloatVector.fromArray(S, src, sb + idx[rel + t] + ta), a0);
        }
        a0.intoArray(acc, o);
    }

    /** Four taps ({@code k..k + 3}) by two position vectors: chains over the filters, then added into {@code dst}. */
    private static void ig4x2(float[] weight, int taps, int f, int k, float[] dy, int dyOff, int g0, int g1, int outPlane,
                              float[] dst, int p0, int p1, int t0, int t1, int t2, int t3) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        for (int fi = 0; fi < f; fi++) {
            int go = dyOff + fi * outPlane;
            FloatVector x0 = FloatVector.fromArray(S, dy, go + g0);
            FloatVector x1 = FloatVector.fromArray(S, dy, go + g1);
            int wi = fi * taps + k;
            FloatVector wv = FloatVector.broadcast(S, weight[wi]);
            a0 = x0.fma(wv, a0);
            a1 = x1.fma(wv, a1);
            wv = FloatVector.broadcast(S, weight[wi + 1]);
            b0 = x0.fma(wv, b0);
            b1 = x1.fma(wv, b1);
            wv = FloatVector.broadcast(S, weight[wi + 2]);
            c0 = x0.fma(wv, c0);
            c1 = x1.fma(wv, c1);
            wv = FloatVector.broadcast(S, weight[wi + 3]);
            d0 = x0.fma(wv, d0);
            d1 = x1.fma(wv, d1);
        }
        addInto(dst, p0 + t0, a0);
        addInto(dst, p1 + t0, a1);
        addInto(dst, p0 + t1, b0);
        addInto(dst, p1 + t1, b1);
        addInto(dst, p0 + t2, c0);
        addInto(dst, p1 + t2, c1);
        addInto(dst, p0 + t3, d0);
        addInto(dst, p1 + t3, d1);
    }

    /** One tap by one position vector. */
    private static void ig1(float[] weight, int taps, int f, int k, float[] dy, int go, int outPlane, float[] dst, int o) {
        FloatVector a = FloatVector.zero(S);
        for (int fi = 0; fi < f; fi++) {
            a = FloatVector.fromArray(S, dy, go + fi * outPlane).fma(FloatVector.broadcast(S, weight[fi * taps + k]), a);
        }
        addInto(dst, o, a);
    }

    private static void addInto(float[] dst, int o, FloatVector v) {
        FloatVector.fromArray(S, dst, o).add(v).intoArray(dst, o);
    }

    /** The lanes of {@code acc[o .. o + 7]} added pairwise in the documented order. */
    private static float lanes(float[] acc, int o) {
        return ((acc[o] + acc[o + 1]) + (acc[o + 2] + acc[o + 3])) + ((acc[o + 4] + acc[o + 5]) + (acc[o + 6] + acc[o + 7]));
    }
}
