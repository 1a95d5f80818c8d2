package io.github.cnn4j.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The convolution backward pass as two register-blocked matrix products over packed ("im2col")
 * columns, on the Java Vector API: for layers with several input channels, where the wide layout of
 * {@link VectorConvKernels} multiplies many zeros (an 8 x 8 output in a 12 x 12 plane computes 144
 * positions for 64) and reloads each accumulator once per tap. Chosen by
 * {@link VectorConvKernels#backward}; loaded only when the Vector API is.
 *
 * <h2>Layout</h2>
 * The output positions of all {@code n} samples are numbered row by row ({@code r = m * OH + i}
 * over samples {@code m} and rows {@code i}, then the {@code OW} columns of the row) and cut into
 * blocks of whole rows, {@link #rowsPerBlock} rows each (a function of the shapes only). For a block
 * of {@code P} positions, {@code Q = P} rounded up to a multiple of eight:
 * <pre>
 *   col[k * Q + p]  = xp[c, i + u, j + v]     tap k = (c, u, v), position p = (m, i, j); 0 for p >= P
 *   dyb[f * Q + p]  = dy[m, f, i, j];                                                  0 for p >= P
 * </pre>
 * ({@code xp} is the input zero-padded by {@code P}; the padding is never materialized.)
 *
 * <h2>Math and order of the sums (determinism)</h2>
 * <pre>
 *   dW[f, k] += sum_p dyb[f, p] * col[k, p]          db[f] += sum_p dyb[f, p]
 *   dcol[k, p] = sum_f w[f, k] * dyb[f, p]           dx[c, y, x] = sum of dcol[k, p] over the (k, p) that read x[c, y, x]
 * </pre>
 * A weight-gradient sum keeps eight lane sums over the whole call: lane {@code l} is one chain of
 * fused multiply-adds over the positions {@code p = 8q + l} of block 0, then of block 1, ... (the
 * chain continues across blocks; padded positions add {@code 0 * x}); the lanes are added pairwise
 * ({@code ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))}) and the result is added to
 * {@code dW}. The bias gradient is the same with plain additions. {@code dcol[k, p]} is one chain of
 * fused multiply-adds over {@code f} in order, starting from zero; the input gradient of an element
 * adds its {@code dcol} terms block by block, tap by tap ({@code (c, u, v)} order), row by row. All of
 * it depends only on the shapes and {@code n}, never on threads, alignment or the CPU.
 */
final class VectorPackedConvKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;
    /** Floats of packed columns per block: 192 KB, which stays in a core's L2 cache with the rest. */
    static final int BLOCK_FLOATS = 48 * 1024;

    private VectorPackedConvKernels() {
    }

    /** Rows of output positions per block: {@code col} stays within {@link #BLOCK_FLOATS} floats, at least one row. */
    static int rowsPerBlock(int taps, int ow) {
        return Math.max(1, BLOCK_FLOATS / (taps * ow));
    }

    /**
     * Backward pass for {@code n} samples; the parameters are those of {@link ConvKernels#backward}.
     * {@code dWeight} and {@code dBias} are accumulated into unless {@code dWeight} is {@code null}
     * (then {@code x} is not read); {@code dx} is overwritten unless it is {@code null} (then
     * {@code weight} is not read).
     */
    static void backward(float[] x, int xOff, int n, int c, int h, int w,
                         float[] weight, int f, int kh, int kw, int pad,
                         float[] dy, int dyOff,
                         float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch s) {
        final int oh = h + 2 * pad - kh + 1;
        final int ow = w + 2 * pad - kw + 1;
        final int area = kh * kw;
        final int taps = c * area;
        final int inSize = c * h * w;
        final int outPlane = oh * ow;
        final int rows = n * oh;
        final int perBlock = rowsPerBlock(taps, ow);
        final int maxQ = roundUp(Math.min(rows, perBlock) * ow);
        final boolean weights = dWeight != null;
        if (weights) {
            s.col = ConvScratch.grow(s.col, taps * maxQ);
            s.lanes = ConvScratch.grow(s.lanes, (f * taps + f) * L);
            Arrays.fill(s.lanes, 0, (f * taps + f) * L, 0f);
        }
        if (dx != null) {
            s.colGrad = ConvScratch.grow(s.colGrad, taps * maxQ);
            Arrays.fill(dx, dxOff, dxOff + n * inSize, 0f);
        }
        s.dyPacked = ConvScratch.grow(s.dyPacked, f * maxQ);
        final float[] dyb = s.dyPacked;
        for (int r0 = 0; r0 < rows; r0 += perBlock) {
            final int r1 = Math.min(rows, r0 + perBlock);
            final int p = (r1 - r0) * ow;
            final int q = roundUp(p);
            packGradient(dy, dyOff, f, oh, ow, r0, r1, q, dyb);
            if (weights) {
                packColumns(x, xOff, c, h, w, kh, kw, pad, oh, ow, r0, r1, q, s.col);
                weightGradient(dyb, s.col, f, taps, q, s.lanes);
            }
            if (dx != null) {
                columnGradient(weight, dyb, f, taps, q, s.colGrad);
                addColumns(s.colGrad, c, h, w, kh, kw, pad, oh, ow, r0, r1, q, dx, dxOff);
            }
        }
        if (weights) {
            final float[] acc = s.lanes;
            for (int i = 0; i < f * taps; i++) {
                dWeight[i] += lanes(acc, i * L);
            }
            for (int fi = 0; fi < f; fi++) {
                dBias[fi] += lanes(acc, (f * taps + fi) * L);
            }
        }
    }

    /** {@code dyb[f * q + p]} for the rows {@code r0 .. r1 - 1} of all filters; zero for {@code p >= (r1 - r0) * ow}. */
    private static void packGradient(float[] dy, int dyOff, int f, int oh, int ow, int r0, int r1, int q, float[] dyb) {
        final int outPlane = oh * ow;
        final int outSize = f * outPlane;
        final int p = (r1 - r0) * ow;
        for (int fi = 0; fi < f; fi++) {
            int dst = fi * q;
            // runs of whole rows of one sample are contiguous in dy
            for (int r = r0; r < r1; ) {
                int m = r / oh;
                int i = r - m * oh;
                int cnt = Math.min(r1 - r, oh - i);
                System.arraycopy(dy, dyOff + m * outSize + fi * outPlane + i * ow, dyb, dst + (r - r0) * ow, cnt * ow);
                r += cnt;
            }
            Arrays.fill(dyb, dst + p, dst + q, 0f);
        }
    }

    /** {@code col[k * q + p]}: the zero-padded input value that tap {@code k} meets at position {@code p}. */
    private static void packColumns(float[] x, int xOff, int c, int h, int w, int kh, int kw, int pad, int oh, int ow,
                                    int r0, int r1, int q, float[] col) {
        final int inSize = c * h * w;
        final int p = (r1 - r0) * ow;
        int k = 0;
        for (int ci = 0; ci < c; ci++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, k++) {
                    final int base = k * q;
                    final int lo = Math.max(0, pad - v);
                    final int hi = Math.min(ow, w + pad - v);
                    int m = r0 / oh;
                    int i = r0 - m * oh;
                    for (int r = r0; r < r1; r++) {
                        int yy = i + u - pad;
                        int dst = base + (r - r0) * ow;
                        if (yy < 0 || yy >= h || hi <= lo) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                        } else {
                            if (lo > 0) {
                                Arrays.fill(col, dst, dst + lo, 0f);
                            }
                            copy(x, xOff + m * inSize + (ci * h + yy) * w + lo + v - pad, col, dst + lo, hi - lo);
                            if (hi < ow) {
                                Arrays.fill(col, dst + hi, dst + ow, 0f);
                            }
                        }
                        if (++i == oh) {
                            i = 0;
                            m++;
                        }
                    }
                    Arrays.fill(col, base + p, base + q, 0f);
                }
            }
        }
    }

    /** {@code dx[c, y, x] +=} the column gradients of the positions that read it (see the class comment for the order). */
    private static void addColumns(float[] dcol, int c, int h, int w, int kh, int kw, int pad, int oh, int ow,
                                   int r0, int r1, int q, float[] dx, int dxOff) {
        final int inSize = c * h * w;
        int k = 0;
        for (int ci = 0; ci < c; ci++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, k++) {
                    final int base = k * q;
                    final int lo = Math.max(0, pad - v);
                    final int hi = Math.min(ow, w + pad - v);
                    if (hi <= lo) {
                        continue;
                    }
                    int m = r0 / oh;
                    int i = r0 - m * oh;
                    for (int r = r0; r < r1; r++) {
                        int yy = i + u - pad;
                        if (yy >= 0 && yy < h) {
                            add(dcol, base + (r - r0) * ow + lo, dx, dxOff + m * inSize + (ci * h + yy) * w + lo + v - pad, hi - lo);
                        }
                        if (++i == oh) {
                            i = 0;
                            m++;
                        }
                    }
                }
            }
        }
    }

    /** {@code b[bo + t] = a[ao + t]} for {@code t < len}. */
    private static void copy(float[] a, int ao, float[] b, int bo, int len) {
        int t = 0;
        for (; t + L <= len; t += L) {
            FloatVector.fromArray(S, a, ao + t).intoArray(b, bo + t);
        }
        for (; t < len; t++) {
            b[bo + t] = a[ao + t];
        }
    }

    /** {@code b[bo + t] += a[ao + t]} for {@code t < len}. */
    private static void add(float[] a, int ao, float[] b, int bo, int len) {
        int t = 0;
        for (; t + L <= len; t += L) {
            FloatVector.fromArray(S, b, bo + t).add(FloatVector.fromArray(S, a, ao + t)).intoArray(b, bo + t);
        }
        for (; t < len; t++) {
            b[bo + t] += a[ao + t];
        }
    }

    /**
     * The lane sums {@code acc[(f * taps + k) * 8 + l]} and, after them, {@code acc[(f * taps + fi) * 8 + l]}
     * for the bias, continued over one block: four filters by two taps per register block (ten of the sixteen AVX2 registers).
     */
    private static void weightGradient(float[] dyb, float[] col, int f, int taps, int q, float[] acc) {
        int fi = 0;
        for (; fi + 4 <= f; fi += 4) {
            int k = 0;
            for (; k + 2 <= taps; k += 2) {
                wg4x2(dyb, col, fi, k, taps, q, acc);
            }
            for (; k < taps; k++) {
                wg4x1(dyb, col, fi, k, taps, q, acc);
            }
        }
        for (; fi < f; fi++) {
            for (int k = 0; k < taps; k++) {
                wg1x1(dyb, col, fi, k, taps, q, acc);
            }
        }
        for (fi = 0; fi < f; fi++) {
            int o = (f * taps + fi) * L;
            FloatVector a = FloatVector.fromArray(S, acc, o);
            int d = fi * q;
            for (int p = 0; p < q; p += L) {
                a = a.add(FloatVector.fromArray(S, dyb, d + p));
            }
            a.intoArray(acc, o);
        }
    }

    private static void wg4x2(float[] dyb, float[] col, int fi, int k, int taps, int q, float[] acc) {
        final int o0 = (fi * taps + k) * L;
        final int o1 = o0 + taps * L;
        final int o2 = o1 + taps * L;
        final int o3 = o2 + taps * L;
        FloatVector a00 = FloatVector.fromArray(S, acc, o0);
        FloatVector a01 = FloatVector.fromArray(S, acc, o0 + L);
        FloatVector a10 = FloatVector.fromArray(S, acc, o1);
        FloatVector a11 = FloatVector.fromArray(S, acc, o1 + L);
        FloatVector a20 = FloatVector.fromArray(S, acc, o2);
        FloatVector a21 = FloatVector.fromArray(S, acc, o2 + L);
        FloatVector a30 = FloatVector.fromArray(S, acc, o3);
        FloatVector a31 = FloatVector.fromArray(S, acc, o3 + L);
        final int d0 = fi * q;
        final int d1 = d0 + q;
        final int d2 = d1 + q;
        final int d3 = d2 + q;
        final int x0 = k * q;
        final int x1 = x0 + q;
        for (int p = 0; p < q; p += L) {
            FloatVector c0 = FloatVector.fromArray(S, col, x0 + p);
            FloatVector c1 = FloatVector.fromArray(S, col, x1 + p);
            FloatVector g = FloatVector.fromArray(S, dyb, d0 + p);
            a00 = g.fma(c0, a00);
            a01 = g.fma(c1, a01);
            g = FloatVector.fromArray(S, dyb, d1 + p);
            a10 = g.fma(c0, a10);
            a11 = g.fma(c1, a11);
            g = FloatVector.fromArray(S, dyb, d2 + p);
            a20 = g.fma(c0, a20);
            a21 = g.fma(c1, a21);
            g = FloatVector.fromArray(S, dyb, d3 + p);
            a30 = g.fma(c0, a30);
            a31 = g.fma(c1, a31);
        }
        a00.intoArray(acc, o0);
        a01.intoArray(acc, o0 + L);
        a10.intoArray(acc, o1);
        a11.intoArray(acc, o1 + L);
        a20.intoArray(acc, o2);
        a21.intoArray(acc, o2 + L);
        a30.intoArray(acc, o3);
        a31.intoArray(acc, o3 + L);
    }

    private static void wg4x1(float[] dyb, float[] col, int fi, int k, int taps, int q, float[] acc) {
        final int o0 = (fi * taps + k) * L;
        final int o1 = o0 + taps * L;
        final int o2 = o1 + taps * L;
        final int o3 = o2 + taps * L;
        FloatVector a0 = FloatVector.fromArray(S, acc, o0);
        FloatVector a1 = FloatVector.fromArray(S, acc, o1);
        FloatVector a2 = FloatVector.fromArray(S, acc, o2);
        FloatVector a3 = FloatVector.fromArray(S, acc, o3);
        final int d0 = fi * q;
        final int x0 = k * q;
        for (int p = 0; p < q; p += L) {
            FloatVector c0 = FloatVector.fromArray(S, col, x0 + p);
            a0 = FloatVector.fromArray(S, dyb, d0 + p).fma(c0, a0);
            a1 = FloatVector.fromArray(S, dyb, d0 + q + p).fma(c0, a1);
            a2 = FloatVector.fromArray(S, dyb, d0 + 2 * q + p).fma(c0, a2);
            a3 = FloatVector.fromArray(S, dyb, d0 + 3 * q + p).fma(c0, a3);
        }
        a0.intoArray(acc, o0);
        a1.intoArray(acc, o1);
        a2.intoArray(acc, o2);
        a3.intoArray(acc, o3);
    }

    private static void wg1x1(float[] dyb, float[] col, int fi, int k, int taps, int q, float[] acc) {
        final int o0 = (fi * taps + k) * L;
        FloatVector a0 = FloatVector.fromArray(S, acc, o0);
        final int d0 = fi * q;
        final int x0 = k * q;
        for (int p = 0; p < q; p += L) {
            a0 = FloatVector.fromArray(S, dyb, d0 + p).fma(FloatVector.fromArray(S, col, x0 + p), a0);
        }
        a0.intoArray(acc, o0);
    }

    /** {@code dcol[k * q + p] = sum_f w[f, k] * dyb[f * q + p]}: four taps by two position vectors per register block. */
    private static void columnGradient(float[] weight, float[] dyb, int f, int taps, int q, float[] dcol) {
        int k = 0;
        for (; k + 4 <= taps; k += 4) {
            int p = 0;
            for (; p + 2 * L <= q; p += 2 * L) {
                cg4x2(weight, dyb, f, taps, q, k, p, dcol);
            }
            for (; p < q; p += L) {
                cg4x1(weight, dyb, f, taps, q, k, p, dcol);
            }
        }
        for (; k < taps; k++) {
            int p = 0;
            for (; p + 2 * L <= q; p += 2 * L) {
                cg1x2(weight, dyb, f, taps, q, k, p, dcol);
            }
            for (; p < q; p += L) {
                FloatVector a = FloatVector.zero(S);
                for (int fi = 0; fi < f; fi++) {
                    a = FloatVector.fromArray(S, dyb, fi * q + p).fma(FloatVector.broadcast(S, weight[fi * taps + k]), a);
                }
                a.intoArray(dcol, k * q + p);
            }
        }
    }

    private static void cg4x2(float[] weight, float[] dyb, int f, int taps, int q, int k, int p, float[] dcol) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        for (int fi = 0; fi < f; fi++) {
            int d = fi * q + p;
            FloatVector g0 = FloatVector.fromArray(S, dyb, d);
            FloatVector g1 = FloatVector.fromArray(S, dyb, d + L);
            int wi = fi * taps + k;
            FloatVector b = FloatVector.broadcast(S, weight[wi]);
            a00 = g0.fma(b, a00);
            a01 = g1.fma(b, a01);
            b = FloatVector.broadcast(S, weight[wi + 1]);
            a10 = g0.fma(b, a10);
            a11 = g1.fma(b, a11);
            b = FloatVector.broadcast(S, weight[wi + 2]);
            a20 = g0.fma(b, a20);
            a21 = g1.fma(b, a21);
            b = FloatVector.broadcast(S, weight[wi + 3]);
            a30 = g0.fma(b, a30);
            a31 = g1.fma(b, a31);
        }
        int o = k * q + p;
        a00.intoArray(dcol, o);
        a01.intoArray(dcol, o + L);
        o += q;
        a10.intoArray(dcol, o);
        a11.intoArray(dcol, o + L);
        o += q;
        a20.intoArray(dcol, o);
        a21.intoArray(dcol, o + L);
        o += q;
        a30.intoArray(dcol, o);
        a31.intoArray(dcol, o + L);
    }

    private static void cg4x1(float[] weight, float[] dyb, int f, int taps, int q, int k, int p, float[] dcol) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int fi = 0; fi < f; fi++) {
            FloatVector g = FloatVector.fromArray(S, dyb, fi * q + p);
            int wi = fi * taps + k;
            a0 = g.fma(FloatVector.broadcast(S, weight[wi]), a0);
            a1 = g.fma(FloatVector.broadcast(S, weight[wi + 1]), a1);
            a2 = g.fma(FloatVector.broadcast(S, weight[wi + 2]), a2);
            a3 = g.fma(FloatVector.broadcast(S, weight[wi + 3]), a3);
        }
        int o = k * q + p;
        a0.intoArray(dcol, o);
        a1.intoArray(dcol, o + q);
        a2.intoArray(dcol, o + 2 * q);
        a3.intoArray(dcol, o + 3 * q);
    }

    private static void cg1x2(float[] weight, float[] dyb, int f, int taps, int q, int k, int p, float[] dcol) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        for (int fi = 0; fi < f; fi++) {
            int d = fi * q + p;
            FloatVector b = FloatVector.broadcast(S, weight[fi * taps + k]);
            a0 = FloatVector.fromArray(S, dyb, d).fma(b, a0);
            a1 = FloatVector.fromArray(S, dyb, d + L).fma(b, a1);
        }
        int o = k * q + p;
        a0.intoArray(dcol, o);
        a1.intoArray(dcol, o + L);
    }

    /** The lanes of {@code acc[o .. o + 7]} added pairwise in the documented order. */
    private static float lanes(float[] acc, int o) {
        return ((acc[o] + acc[o + 1]) + (acc[o + 2] + acc[o + 3])) + ((acc[o + 4] + acc[o + 5]) + (acc[o + 6] + acc[o + 7]));
    }

    private static int roundUp(int n) {
        return (n + L - 1) / L * L;
    }
}
