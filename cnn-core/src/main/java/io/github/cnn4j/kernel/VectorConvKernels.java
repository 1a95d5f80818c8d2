package io.github.cnn4j.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolutions on the Java Vector API: the forward pass as a tap product read straight from the
 * padded input, the weight gradient as vectorized dot products and the input gradient as a
 * vectorized scatter; for shapes where the wide layout wastes many positions, the backward pass runs
 * on {@link VectorRowConvKernels} (output rows of whole vectors, at least four input channels) or
 * {@link VectorPackedConvKernels} (packed columns), and the forward pass on {@link #forwardRows};
 * this class chooses from the shapes only. Used by {@link ConvKernels} when
 * {@link Vectorization#enabled()}; this class is loaded only then, so the library runs on JVMs
 * started without {@code --add-modules jdk.incubator.vector}.
 *
 * <h2>Layout</h2>
 * As in {@link ConvKernels}: a group of {@code gn} samples is laid out channel-major and
 * zero-padded ({@code xp[c][m][PH][PW]}), and {@code dy} is copied into the "wide" layout of that
 * padded plane, {@code dz_f[m * PH * PW + i * PW + j]}, with zeros in the {@code KW - 1} extra columns
 * of each row and in the rows between samples. Position {@code p} of the wide layout meets tap
 * {@code (c, u, v)} at {@code xp_c[u * PW + v + p]}. All loops run over the flat range
 * {@code 0 <= p < len}, {@code len = (gn - 1) * PH * PW + (OH - 1) * PW + OW} rounded up to a
 * multiple of eight: long loops with neither per-row nor final scalar tails, at the price of
 * multiplying the zeros of the extra columns. {@code dz} is zero up to the rounded length, and the
 * padded buffers end with eight floats of zero slack, so the extra positions read finite values
 * and add nothing (the input gradient's extra positions add {@code w * 0} to elements of the next
 * channel or the slack; the forward pass's land in accumulator positions that are never copied out).
 *
 * <h2>Math</h2>
 * <pre>
 *   dW[f, c, u, v] += sum_p dz_f[p] * xp_c[u * PW + v + p]
 *   db[f]          += sum_p dz_f[p]
 *   dxp_c[u * PW + v + p] += sum_f w[f, c, u, v] * dz_f[p]     for every (u, v), then dx = dxp without its border
 * </pre>
 *
 * <h2>Order of the sums (determinism)</h2>
 * A weight-gradient dot product keeps eight lane sums: lane {@code l} sums positions
 * {@code p = 8q + l} in order with fused multiply-adds; the lanes are added pairwise
 * ({@code ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))}), then the last {@code len mod 8}
 * positions (none for the rounded lengths used here) are added in order, and the result is added
 * to {@code dW}. The bias gradient is the
 * same with two sets of lanes (positions {@code 16q + l} and {@code 16q + 8 + l}, added lane by lane
 * before the pairwise sum, the tail covering {@code len mod 16} positions). The input gradient
 * of one element sums its terms in {@code (u, v, f)} order, one fused multiply-add each, the same
 * in a vector lane and in the scalar tail. The order depends only on the shapes and the group
 * size, never on alignment, threads or the CPU (the species is fixed at 256 bits).
 */
final class VectorConvKernels {
    /** Eight floats: AVX2 and AVX-512 machines compute the same lanes. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int L = 8;
    /** Taps per weight-gradient pass (two filters at once: six vector accumulators, measured fastest). */
    static final int DOT_TAPS = 3;
    /** Taps per forward pass (two filters at once). */
    static final int FORWARD_TAPS = 6;
    /** Filters per input-gradient pass. */
    static final int SCATTER_FILTERS = 4;

    private VectorConvKernels() {
    }

    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /**
     * Backward pass for {@code n} samples; see {@link ConvKernels#backward} for the parameters.
     * {@code dWeight} and {@code dBias} are accumulated into unless {@code dWeight} is {@code null}
     * (then {@code x} is not read); {@code dx} is overwritten unless it is {@code null}.
     */
    static void backward(float[] x, int xOff, int n, int c, int h, int w,
                         float[] weight, int f, int kh, int kw, int pad,
                         float[] dy, int dyOff,
                         float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch s) {
        if (c >= ROWS_MIN_CHANNELS && VectorRowConvKernels.handles(w, kw, pad)) {
            VectorRowConvKernels.backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dWeight, dBias, dx, dxOff, s);
            return;
        }
        final boolean packW = dWeight != null && packedWeights(c, h, w, kh, kw, pad, f);
        final boolean packX = dx != null && packedInput(c, h, w, kh, kw, pad, f);
        if (packW || packX) {
            VectorPackedConvKernels.backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff,
                    packW ? dWeight : null, dBias, packX ? dx : null, dxOff, s);
        }
        if ((dWeight != null && !packW) || (dx != null && !packX)) {
            wideBackward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff,
                    packW ? null : dWeight, dBias, packX ? null : dx, dxOff, s);
        }
    }

    /**
     * Input channels from which the backward pass of a layer with whole-vector output rows runs on
     * {@link VectorRowConvKernels} (1.7-1.8x the wide layout on MODERN's and B's second convolutions,
     * thread CPU time); single-channel first layers keep the wide layout, whose sample groups stay in
     * the cache (measured equal or faster there).
     */
    static final int ROWS_MIN_CHANNELS = 4;

    /**
     * Whether the weight gradient runs on packed columns ({@link VectorPackedConvKernels}) rather
     * than the wide layout: when the wide layout computes at least twice the real positions (small
     * planes, e.g. an 8 x 8 output in a 12 x 12 plane), which pays for packing the columns. A function
     * of the shapes only (measured on MODERN's and the residual network's shapes, docs/performance.md).
     */
    static boolean packedWeights(int c, int h, int w, int kh, int kw, int pad, int f) {
        int oh = h + 2 * pad - kh + 1;
        int ow = w + 2 * pad - kw + 1;
        return (long) (h + 2 * pad) * (w + 2 * pad) >= 2L * oh * ow;
    }

    /**
     * Whether the input gradient runs on packed columns: when filters times the wide layout's waste
     * ({@code plane / (OH * OW)}) is at least 24, i.e. many filters per column (the packed product
     * loads each {@code dy} vector once for four taps, the wide scatter once per tap) or a small
     * plane. A function of the shapes only.
     */
    static boolean packedInput(int c, int h, int w, int kh, int kw, int pad, int f) {
        int oh = h + 2 * pad - kh + 1;
        int ow = w + 2 * pad - kw + 1;
        return (long) f * (h + 2 * pad) * (w + 2 * pad) >= 24L * oh * ow;
    }

    /** {@link #backward} in the wide layout (see the class comment). */
    static void wideBackward(float[] x, int xOff, int n, int c, int h, int w,
                             float[] weight, int f, int kh, int kw, int pad,
                             float[] dy, int dyOff,
                             float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch s) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int plane = ph * pw;
        final int span = (oh - 1) * pw + ow;
        final int area = kh * kw;
        final int taps = c * area;
        final int inSize = c * h * w;
        final int outSize = f * oh * ow;
        final int g = ConvLayout.group(plane, n);
        for (int s0 = 0; s0 < n; s0 += g) {
            final int gn = Math.min(g, n - s0);
            final int len = roundUp((gn - 1) * plane + span);
            ConvLayout.wideGradient(dy, dyOff + s0 * outSize, gn, f, oh, ow, pw, plane, len, s);
            final float[][] dz = s.dz;
            if (dWeight != null) {
                for (int fi = 0; fi < f; fi++) {
                    dBias[fi] += sum(dz[fi], len);
                }
                final float[] xp = padWithSlack(x, xOff + s0 * inSize, gn, c, h, w, pad, s);
                for (int k0 = 0, cnt; k0 < taps; k0 += cnt) {
                    cnt = ConvLayout.passSize(k0, taps, DOT_TAPS);
                    int o0 = tapOffset(k0, area, kw, gn * plane, pw);
                    int o1 = cnt > 1 ? tapOffset(k0 + 1, area, kw, gn * plane, pw) : o0;
                    int o2 = cnt > 2 ? tapOffset(k0 + 2, area, kw, gn * plane, pw) : o0;
                    int fi = 0;
                    for (; fi + 1 < f; fi += 2) {
                        int a = fi * taps + k0;
                        int b = a + taps;
                        switch (cnt) {
                            case 3 -> pair3(dz[fi], dz[fi + 1], xp, o0, o1, o2, len, dWeight, a, b);
                            case 2 -> pair2(dz[fi], dz[fi + 1], xp, o0, o1, len, dWeight, a, b);
                            default -> pair1(dz[fi], dz[fi + 1], xp, o0, len, dWeight, a, b);
                        }
                    }
                    if (fi < f) {
                        int a = fi * taps + k0;
                        dWeight[a] += dot(dz[fi], xp, o0, len);
                        if (cnt > 1) {
                            dWeight[a + 1] += dot(dz[fi], xp, o1, len);
                        }
                        if (cnt > 2) {
                            dWeight[a + 2] += dot(dz[fi], xp, o2, len);
                        }
                    }
                }
            }
            if (dx != null) {
                s.padded2 = ConvScratch.grow(s.padded2, c * gn * plane + L);
                final float[] dxp = s.padded2;
                Arrays.fill(dxp, 0, c * gn * plane + L, 0f);
                final int fStride = c * area;
                for (int ci = 0; ci < c; ci++) {
                    for (int u = 0; u < kh; u++) {
                        for (int v = 0; v < kw; v++) {
                            int off = ci * gn * plane + u * pw + v;
                            int wi = (ci * kh + u) * kw + v;
                            for (int f0 = 0, cnt; f0 < f; f0 += cnt) {
                                cnt = ConvLayout.passSize(f0, f, SCATTER_FILTERS);
                                int w0 = wi + f0 * fStride;
                                switch (cnt) {
                                    case 4 -> scatter4(dxp, off, dz[f0], dz[f0 + 1], dz[f0 + 2], dz[f0 + 3],
                                            weight[w0], weight[w0 + fStride], weight[w0 + 2 * fStride], weight[w0 + 3 * fStride], len);
                                    case 3 -> scatter3(dxp, off, dz[f0], dz[f0 + 1], dz[f0 + 2],
                                            weight[w0], weight[w0 + fStride], weight[w0 + 2 * fStride], len);
                                    case 2 -> scatter2(dxp, off, dz[f0], dz[f0 + 1], weight[w0], weight[w0 + fStride], len);
                                    default -> scatter1(dxp, off, dz[f0], weight[w0], len);
                                }
                            }
                        }
                    }
                }
                for (int m = 0; m < gn; m++) {
                    int base = dxOff + (s0 + m) * inSize;
                    for (int ci = 0; ci < c; ci++) {
                        int from = (ci * gn + m) * plane + pad * pw + pad;
                        for (int i = 0; i < h; i++) {
                            System.arraycopy(dxp, from + i * pw, dx, base + (ci * h + i) * w, w);
                        }
                    }
                }
            }
        }
    }

    /**
     * Forward pass for {@code n} samples; see {@link ConvKernels#forward} for the parameters. Each
     * output is computed exactly as by the scalar kernels (the bias, then one fused multiply-add per
     * tap in {@code (c, u, v)} order), so the two give bit-identical outputs; this one reads the taps
     * straight from the padded input instead of copying them, and computes two filters per pass over
     * up to {@value #FORWARD_TAPS} taps, so that each input vector loaded serves both.
     */
    static void forward(float[] x, int xOff, int n, int c, int h, int w,
                        float[] weight, float[] bias, int f, int kh, int kw, int pad,
                        float[] y, int yOff, ConvScratch s) {
        if (w + 2 * pad - kw + 1 >= L) {
            forwardRows(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, y, yOff, s);
        } else {
            wideForward(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, y, yOff, s);
        }
    }

    /**
     * {@link #forward} for outputs at least eight wide: every block of eight outputs of a row is
     * computed in registers straight from the (padded) input rows, four filters by two rows at a time,
     * with no wide layout; a row whose width is not a multiple of eight ends with the block of its
     * last eight outputs, overlapping the one before (28 columns: blocks at 0, 8, 16 and 20). Each output is the bias, then one fused multiply-add per tap in
     * {@code (c, u, v)} order: the same bits as the scalar kernels.
     */
    static void forwardRows(float[] x, int xOff, int n, int c, int h, int w,
                            float[] weight, float[] bias, int f, int kh, int kw, int pad,
                            float[] y, int yOff, ConvScratch s) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int outPlane = oh * ow;
        final int outSize = f * outPlane;
        s.tapOffsets = ConvScratch.grow(s.tapOffsets, taps);
        final int[] tap = s.tapOffsets;
        for (int ci = 0, k = 0; ci < c; ci++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, k++) {
                    tap[k] = ci * ph * pw + u * pw + v;
                }
            }
        }
        for (int m = 0; m < n; m++) {
            final float[] src;
            final int so;
            if (pad == 0) {
                src = x;
                so = xOff + m * inSize;
            } else {
                s.padded = ConvScratch.grow(s.padded, c * ph * pw);
                ConvLayout.pad(x, xOff + m * inSize, c, h, w, pad, s.padded, 0);
                src = s.padded;
                so = 0;
            }
            final int yo = yOff + m * outSize;
            int fi = 0;
            for (; fi + 4 <= f; fi += 4) {
                int i = 0;
                for (; i + 2 <= oh; i += 2) {
                    for (int j = 0; j < ow; j = next(j, ow)) {
                        rows4x2(src, so + i * pw + j, pw, tap, taps, weight, fi * taps, bias, fi, y, yo + fi * outPlane + i * ow + j,
                                outPlane, ow);
                    }
                }
                rowsOneByOne(src, so, pw, tap, taps, weight, bias, fi, 4, i, oh, ow, y, yo, outPlane);
            }
            for (; fi + 2 <= f; fi += 2) {
                int i = 0;
                for (; i + 2 <= oh; i += 2) {
                    for (int j = 0; j < ow; j = next(j, ow)) {
                        rows2x2(src, so + i * pw + j, pw, tap, taps, weight, fi * taps, bias, fi, y, yo + fi * outPlane + i * ow + j,
                                outPlane, ow);
                    }
                }
                rowsOneByOne(src, so, pw, tap, taps, weight, bias, fi, 2, i, oh, ow, y, yo, outPlane);
            }
            rowsOneByOne(src, so, pw, tap, taps, weight, bias, fi, f - fi, 0, oh, ow, y, yo, outPlane);
        }
    }

    /**
     * Rows {@code i0..oh-1} of filters {@code fi..fi + count - 1}, one filter by one block of eight at a
     * time ({@link #rows1x1}): the rows and filters the larger register blocks of {@link #forwardRows} leave.
     */
    private static void rowsOneByOne(float[] src, int so, int pw, int[] tap, int taps, float[] weight, float[] bias, int fi, int count,
                                     int i0, int oh, int ow, float[] y, int yo, int outPlane) {
        for (int q = fi; q < fi + count; q++) {
            for (int i = i0; i < oh; i++) {
                for (int j = 0; j < ow; j = next(j, ow)) {
                    rows1x1(src, so + i * pw + j, tap, taps, weight, q * taps, bias[q], y, yo + q * outPlane + i * ow + j);
                }
            }
        }
    }

    /**
     * The column block after the one at {@code j} in a row of {@code ow >= 8} outputs: {@code j + 8},
     * or the last eight columns ({@code ow - 8}, overlapping the block before, whose shared outputs
     * it recomputes to the same bits), or {@code ow} when the row is done.
     */
    private static int next(int j, int ow) {
        return j + L >= ow ? ow : Math.min(j + L, ow - L);
    }

    /** Four filters ({@code fi..fi + 3}, weights from {@code wo}) by two output rows of eight: see {@link #forwardRows}. */
    private static void rows4x2(float[] src, int base, int rs, int[] tap, int taps, float[] weight, int wo, float[] bias, int fi,
                                float[] y, int yo, int outPlane, int ow) {
        FloatVector a0 = FloatVector.broadcast(S, bias[fi]);
        FloatVector a1 = a0;
        FloatVector b0 = FloatVector.broadcast(S, bias[fi + 1]);
        FloatVector b1 = b0;
        FloatVector c0 = FloatVector.broadcast(S, bias[fi + 2]);
        FloatVector c1 = c0;
        FloatVector d0 = FloatVector.broadcast(S, bias[fi + 3]);
        FloatVector d1 = d0;
        for (int k = 0; k < taps; k++) {
            int o = base + tap[k];
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            FloatVector x1 = FloatVector.fromArray(S, src, o + rs);
            FloatVector wv = FloatVector.broadcast(S, weight[wo + k]);
            a0 = x0.fma(wv, a0);
            a1 = x1.fma(wv, a1);
            wv = FloatVector.broadcast(S, weight[wo + taps + k]);
            b0 = x0.fma(wv, b0);
            b1 = x1.fma(wv, b1);
            wv = FloatVector.broadcast(S, weight[wo + 2 * taps + k]);
            c0 = x0.fma(wv, c0);
            c1 = x1.fma(wv, c1);
            wv = FloatVector.broadcast(S, weight[wo + 3 * taps + k]);
            d0 = x0.fma(wv, d0);
            d1 = x1.fma(wv, d1);
        }
        a0.intoArray(y, yo);
        a1.intoArray(y, yo + ow);
        b0.intoArray(y, yo + outPlane);
        b1.intoArray(y, yo + outPlane + ow);
        c0.intoArray(y, yo + 2 * outPlane);
        c1.intoArray(y, yo + 2 * outPlane + ow);
        d0.intoArray(y, yo + 3 * outPlane);
        d1.intoArray(y, yo + 3 * outPlane + ow);
    }

    /** Two filters ({@code fi}, {@code fi + 1}) by two output rows of eight: see {@link #forwardRows}. */
    private static void rows2x2(float[] src, int base, int rs, int[] tap, int taps, float[] weight, int wo, float[] bias, int fi,
                                float[] y, int yo, int outPlane, int ow) {
        FloatVector a0 = FloatVector.broadcast(S, bias[fi]);
        FloatVector a1 = a0;
        FloatVector b0 = FloatVector.broadcast(S, bias[fi + 1]);
        FloatVector b1 = b0;
        for (int k = 0; k < taps; k++) {
            int o = base + tap[k];
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            FloatVector x1 = FloatVector.fromArray(S, src, o + rs);
            FloatVector wv = FloatVector.broadcast(S, weight[wo + k]);
            a0 = x0.fma(wv, a0);
            a1 = x1.fma(wv, a1);
            wv = FloatVector.broadcast(S, weight[wo + taps + k]);
            b0 = x0.fma(wv, b0);
            b1 = x1.fma(wv, b1);
        }
        a0.intoArray(y, yo);
        a1.intoArray(y, yo + ow);
        b0.intoArray(y, yo + outPlane);
        b1.intoArray(y, yo + outPlane + ow);
    }

    /** One filter (weights from {@code wo}) by one output row of eight: see {@link #forwardRows}. */
    private static void rows1x1(float[] src, int base, int[] tap, int taps, float[] weight, int wo, float b, float[] y, int yo) {
        FloatVector a = FloatVector.broadcast(S, b);
        for (int k = 0; k < taps; k++) {
            a = FloatVector.fromArray(S, src, base + tap[k]).fma(FloatVector.broadcast(S, weight[wo + k]), a);
        }
        a.intoArray(y, yo);
    }

    /** {@link #forward} in the wide layout (see the class comment). */
    static void wideForward(float[] x, int xOff, int n, int c, int h, int w,
                            float[] weight, float[] bias, int f, int kh, int kw, int pad,
                            float[] y, int yOff, ConvScratch s) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int plane = ph * pw;
        final int span = (oh - 1) * pw + ow;
        final int area = kh * kw;
        final int taps = c * area;
        final int inSize = c * h * w;
        final int outSize = f * oh * ow;
        final int g = ConvLayout.group(plane, n);
        for (int s0 = 0; s0 < n; s0 += g) {
            final int gn = Math.min(g, n - s0);
            final int len = roundUp((gn - 1) * plane + span);
            s.acc = ConvScratch.grow(s.acc, f, len);
            final float[] xp = padWithSlack(x, xOff + s0 * inSize, gn, c, h, w, pad, s);
            final float[][] acc = s.acc;
            for (int fi = 0; fi < f; fi++) {
                Arrays.fill(acc[fi], 0, len, bias[fi]);
            }
            final int cs = gn * plane;
            for (int k0 = 0, cnt; k0 < taps; k0 += cnt) {
                cnt = ConvLayout.passSize(k0, taps, FORWARD_TAPS);
                int fi = 0;
                if (cnt >= 4) {
                    int o0 = tapOffset(k0, area, kw, cs, pw);
                    int o1 = tapOffset(k0 + 1, area, kw, cs, pw);
                    int o2 = tapOffset(k0 + 2, area, kw, cs, pw);
                    int o3 = tapOffset(k0 + 3, area, kw, cs, pw);
                    int o4 = cnt > 4 ? tapOffset(k0 + 4, area, kw, cs, pw) : 0;
                    int o5 = cnt > 5 ? tapOffset(k0 + 5, area, kw, cs, pw) : 0;
                    for (; fi + 1 < f; fi += 2) {
                        int a = fi * taps + k0;
                        int b = a + taps;
                        switch (cnt) {
                            case 6 -> madd2x6(acc[fi], acc[fi + 1], xp, o0, o1, o2, o3, o4, o5, weight, a, b, len);
                            case 5 -> madd2x5(acc[fi], acc[fi + 1], xp, o0, o1, o2, o3, o4, weight, a, b, len);
                            default -> madd2x4(acc[fi], acc[fi + 1], xp, o0, o1, o2, o3, weight, a, b, len);
                        }
                    }
                }
                // the last filter of an odd count, and passes of fewer than four taps: one tap at a time
                for (; fi < f; fi++) {
                    for (int j = 0; j < cnt; j++) {
                        madd1(acc[fi], xp, tapOffset(k0 + j, area, kw, cs, pw), weight[fi * taps + k0 + j], len);
                    }
                }
            }
            ConvLayout.unwiden(acc, gn, f, oh, ow, pw, plane, y, yOff + s0 * outSize);
        }
    }

    /**
     * {@code a[p] = fma(w[o5], x[o5 + p], ... fma(w[o0], x[o0 + p], a[p]))} for two filters (weights
     * from {@code wa} and {@code wb} in {@code w}) and six taps, {@code p < len}.
     */
    static void madd2x6(float[] a, float[] b, float[] x, int o0, int o1, int o2, int o3, int o4, int o5,
                        float[] w, int wa, int wb, int len) {
        final float a0 = w[wa];
        final float a1 = w[wa + 1];
        final float a2 = w[wa + 2];
        final float a3 = w[wa + 3];
        final float a4 = w[wa + 4];
        final float a5 = w[wa + 5];
        final float b0 = w[wb];
        final float b1 = w[wb + 1];
        final float b2 = w[wb + 2];
        final float b3 = w[wb + 3];
        final float b4 = w[wb + 4];
        final float b5 = w[wb + 5];
        final FloatVector va0 = FloatVector.broadcast(S, a0);
        final FloatVector va1 = FloatVector.broadcast(S, a1);
        final FloatVector va2 = FloatVector.broadcast(S, a2);
        final FloatVector va3 = FloatVector.broadcast(S, a3);
        final FloatVector va4 = FloatVector.broadcast(S, a4);
        final FloatVector va5 = FloatVector.broadcast(S, a5);
        final FloatVector vb0 = FloatVector.broadcast(S, b0);
        final FloatVector vb1 = FloatVector.broadcast(S, b1);
        final FloatVector vb2 = FloatVector.broadcast(S, b2);
        final FloatVector vb3 = FloatVector.broadcast(S, b3);
        final FloatVector vb4 = FloatVector.broadcast(S, b4);
        final FloatVector vb5 = FloatVector.broadcast(S, b5);
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, o0 + i);
            FloatVector x1 = FloatVector.fromArray(S, x, o1 + i);
            FloatVector x2 = FloatVector.fromArray(S, x, o2 + i);
            FloatVector x3 = FloatVector.fromArray(S, x, o3 + i);
            FloatVector x4 = FloatVector.fromArray(S, x, o4 + i);
            FloatVector x5 = FloatVector.fromArray(S, x, o5 + i);
            x5.fma(va5, x4.fma(va4, x3.fma(va3, x2.fma(va2, x1.fma(va1, x0.fma(va0, FloatVector.fromArray(S, a, i)))))))
                    .intoArray(a, i);
            x5.fma(vb5, x4.fma(vb4, x3.fma(vb3, x2.fma(vb2, x1.fma(vb1, x0.fma(vb0, FloatVector.fromArray(S, b, i)))))))
                    .intoArray(b, i);
        }
        for (int i = end; i < len; i++) {
            a[i] = Math.fma(a5, x[o5 + i], Math.fma(a4, x[o4 + i], Math.fma(a3, x[o3 + i],
                    Math.fma(a2, x[o2 + i], Math.fma(a1, x[o1 + i], Math.fma(a0, x[o0 + i], a[i]))))));
            b[i] = Math.fma(b5, x[o5 + i], Math.fma(b4, x[o4 + i], Math.fma(b3, x[o3 + i],
                    Math.fma(b2, x[o2 + i], Math.fma(b1, x[o1 + i], Math.fma(b0, x[o0 + i], b[i]))))));
        }
    }

    /** {@link #madd2x6} with five taps. */
    static void madd2x5(float[] a, float[] b, float[] x, int o0, int o1, int o2, int o3, int o4,
                        float[] w, int wa, int wb, int len) {
        final float a0 = w[wa];
        final float a1 = w[wa + 1];
        final float a2 = w[wa + 2];
        final float a3 = w[wa + 3];
        final float a4 = w[wa + 4];
        final float b0 = w[wb];
        final float b1 = w[wb + 1];
        final float b2 = w[wb + 2];
        final float b3 = w[wb + 3];
        final float b4 = w[wb + 4];
        final FloatVector va0 = FloatVector.broadcast(S, a0);
        final FloatVector va1 = FloatVector.broadcast(S, a1);
        final FloatVector va2 = FloatVector.broadcast(S, a2);
        final FloatVector va3 = FloatVector.broadcast(S, a3);
        final FloatVector va4 = FloatVector.broadcast(S, a4);
        final FloatVector vb0 = FloatVector.broadcast(S, b0);
        final FloatVector vb1 = FloatVector.broadcast(S, b1);
        final FloatVector vb2 = FloatVector.broadcast(S, b2);
        final FloatVector vb3 = FloatVector.broadcast(S, b3);
        final FloatVector vb4 = FloatVector.broadcast(S, b4);
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, o0 + i);
            FloatVector x1 = FloatVector.fromArray(S, x, o1 + i);
            FloatVector x2 = FloatVector.fromArray(S, x, o2 + i);
            FloatVector x3 = FloatVector.fromArray(S, x, o3 + i);
            FloatVector x4 = FloatVector.fromArray(S, x, o4 + i);
            x4.fma(va4, x3.fma(va3, x2.fma(va2, x1.fma(va1, x0.fma(va0, FloatVector.fromArray(S, a, i)))))).intoArray(a, i);
            x4.fma(vb4, x3.fma(vb3, x2.fma(vb2, x1.fma(vb1, x0.fma(vb0, FloatVector.fromArray(S, b, i)))))).intoArray(b, i);
        }
        for (int i = end; i < len; i++) {
            a[i] = Math.fma(a4, x[o4 + i], Math.fma(a3, x[o3 + i], Math.fma(a2, x[o2 + i], Math.fma(a1, x[o1 + i], Math.fma(a0, x[o0 + i], a[i])))));
            b[i] = Math.fma(b4, x[o4 + i], Math.fma(b3, x[o3 + i], Math.fma(b2, x[o2 + i], Math.fma(b1, x[o1 + i], Math.fma(b0, x[o0 + i], b[i])))));
        }
    }

    /** {@link #madd2x6} with four taps. */
    static void madd2x4(float[] a, float[] b, float[] x, int o0, int o1, int o2, int o3,
                        float[] w, int wa, int wb, int len) {
        final float a0 = w[wa];
        final float a1 = w[wa + 1];
        final float a2 = w[wa + 2];
        final float a3 = w[wa + 3];
        final float b0 = w[wb];
        final float b1 = w[wb + 1];
        final float b2 = w[wb + 2];
        final float b3 = w[wb + 3];
        final FloatVector va0 = FloatVector.broadcast(S, a0);
        final FloatVector va1 = FloatVector.broadcast(S, a1);
        final FloatVector va2 = FloatVector.broadcast(S, a2);
        final FloatVector va3 = FloatVector.broadcast(S, a3);
        final FloatVector vb0 = FloatVector.broadcast(S, b0);
        final FloatVector vb1 = FloatVector.broadcast(S, b1);
        final FloatVector vb2 = FloatVector.broadcast(S, b2);
        final FloatVector vb3 = FloatVector.broadcast(S, b3);
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, o0 + i);
            FloatVector x1 = FloatVector.fromArray(S, x, o1 + i);
            FloatVector x2 = FloatVector.fromArray(S, x, o2 + i);
            FloatVector x3 = FloatVector.fromArray(S, x, o3 + i);
            x3.fma(va3, x2.fma(va2, x1.fma(va1, x0.fma(va0, FloatVector.fromArray(S, a, i))))).intoArray(a, i);
            x3.fma(vb3, x2.fma(vb2, x1.fma(vb1, x0.fma(vb0, FloatVector.fromArray(S, b, i))))).intoArray(b, i);
        }
        for (int i = end; i < len; i++) {
            a[i] = Math.fma(a3, x[o3 + i], Math.fma(a2, x[o2 + i], Math.fma(a1, x[o1 + i], Math.fma(a0, x[o0 + i], a[i]))));
            b[i] = Math.fma(b3, x[o3 + i], Math.fma(b2, x[o2 + i], Math.fma(b1, x[o1 + i], Math.fma(b0, x[o0 + i], b[i]))));
        }
    }

    /** {@code a[p] = fma(w0, x[o + p], a[p])} for {@code p < len}. */
    static void madd1(float[] a, float[] x, int o, float w0, int len) {
        final FloatVector v0 = FloatVector.broadcast(S, w0);
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector.fromArray(S, x, o + i).fma(v0, FloatVector.fromArray(S, a, i)).intoArray(a, i);
        }
        for (int i = end; i < len; i++) {
            a[i] = Math.fma(w0, x[o + i], a[i]);
        }
    }

    /** {@code n} rounded up to a multiple of {@link #L}. */
    static int roundUp(int n) {
        return (n + L - 1) / L * L;
    }

    /**
     * {@link ConvLayout#padGroup} into {@code s.padded}, followed by {@link #L} zeros: a loop over
     * the rounded-up range reads at most {@code L - 1} floats past the group.
     */
    private static float[] padWithSlack(float[] x, int xOff, int gn, int c, int h, int w, int pad, ConvScratch s) {
        int size = c * gn * (h + 2 * pad) * (w + 2 * pad);
        s.padded = ConvScratch.grow(s.padded, size + L);
        ConvLayout.padGroup(x, xOff, gn, c, h, w, pad, s.padded);
        Arrays.fill(s.padded, size, size + L, 0f);
        return s.padded;
    }

    /** Offset in the padded group of tap {@code k = (c, u, v)}. */
    private static int tapOffset(int k, int area, int kw, int channelSize, int pw) {
        int ci = k / area;
        int r = k - ci * area;
        return ci * channelSize + (r / kw) * pw + r % kw;
    }

    /** The lanes of {@code v} added pairwise in a fixed order. */
    static float lanes(FloatVector v) {
        return ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3))) + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
    }

    /** {@code sum_{p < len} g[p]} in the documented order (eight lanes, then the tail). */
    static float sum(float[] g, int len) {
        FloatVector a = FloatVector.zero(S);
        FloatVector b = a;
        final int end = len - len % (2 * L);
        for (int i = 0; i < end; i += 2 * L) {
            a = a.add(FloatVector.fromArray(S, g, i));
            b = b.add(FloatVector.fromArray(S, g, i + L));
        }
        float r = lanes(a.add(b));
        for (int i = end; i < len; i++) {
            r += g[i];
        }
        return r;
    }

    /** {@code sum_{p < len} g[p] * x[o + p]} in the documented order. */
    static float dot(float[] g, float[] x, int o, int len) {
        FloatVector a = FloatVector.zero(S);
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            a = FloatVector.fromArray(S, g, i).fma(FloatVector.fromArray(S, x, o + i), a);
        }
        float r = lanes(a);
        for (int i = end; i < len; i++) {
            r = Math.fma(g[i], x[o + i], r);
        }
        return r;
    }

    /** Three taps at {@code x[o0..]}, {@code x[o1..]}, {@code x[o2..]} against two filters' gradients {@code g}, {@code h}; adds to {@code out[a..a+2]} and {@code out[b..b+2]}. */
    static void pair3(float[] g, float[] h, float[] x, int o0, int o1, int o2, int len, float[] out, int a, int b) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector d = FloatVector.fromArray(S, g, i);
            FloatVector e = FloatVector.fromArray(S, h, i);
            FloatVector x0 = FloatVector.fromArray(S, x, o0 + i);
            FloatVector x1 = FloatVector.fromArray(S, x, o1 + i);
            FloatVector x2 = FloatVector.fromArray(S, x, o2 + i);
            a0 = d.fma(x0, a0);
            a1 = d.fma(x1, a1);
            a2 = d.fma(x2, a2);
            b0 = e.fma(x0, b0);
            b1 = e.fma(x1, b1);
            b2 = e.fma(x2, b2);
        }
        float ra0 = lanes(a0);
        float ra1 = lanes(a1);
        float ra2 = lanes(a2);
        float rb0 = lanes(b0);
        float rb1 = lanes(b1);
        float rb2 = lanes(b2);
        for (int i = end; i < len; i++) {
            ra0 = Math.fma(g[i], x[o0 + i], ra0);
            ra1 = Math.fma(g[i], x[o1 + i], ra1);
            ra2 = Math.fma(g[i], x[o2 + i], ra2);
            rb0 = Math.fma(h[i], x[o0 + i], rb0);
            rb1 = Math.fma(h[i], x[o1 + i], rb1);
            rb2 = Math.fma(h[i], x[o2 + i], rb2);
        }
        out[a] += ra0;
        out[a + 1] += ra1;
        out[a + 2] += ra2;
        out[b] += rb0;
        out[b + 1] += rb1;
        out[b + 2] += rb2;
    }

    /** {@link #pair3} with two taps. */
    static void pair2(float[] g, float[] h, float[] x, int o0, int o1, int len, float[] out, int a, int b) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector d = FloatVector.fromArray(S, g, i);
            FloatVector e = FloatVector.fromArray(S, h, i);
            FloatVector x0 = FloatVector.fromArray(S, x, o0 + i);
            FloatVector x1 = FloatVector.fromArray(S, x, o1 + i);
            a0 = d.fma(x0, a0);
            a1 = d.fma(x1, a1);
            b0 = e.fma(x0, b0);
            b1 = e.fma(x1, b1);
        }
        float ra0 = lanes(a0);
        float ra1 = lanes(a1);
        float rb0 = lanes(b0);
        float rb1 = lanes(b1);
        for (int i = end; i < len; i++) {
            ra0 = Math.fma(g[i], x[o0 + i], ra0);
            ra1 = Math.fma(g[i], x[o1 + i], ra1);
            rb0 = Math.fma(h[i], x[o0 + i], rb0);
            rb1 = Math.fma(h[i], x[o1 + i], rb1);
        }
        out[a] += ra0;
        out[a + 1] += ra1;
        out[b] += rb0;
        out[b + 1] += rb1;
    }

    /** {@link #pair3} with one tap. */
    static void pair1(float[] g, float[] h, float[] x, int o0, int len, float[] out, int a, int b) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector b0 = a0;
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, o0 + i);
            a0 = FloatVector.fromArray(S, g, i).fma(x0, a0);
            b0 = FloatVector.fromArray(S, h, i).fma(x0, b0);
        }
        float ra0 = lanes(a0);
        float rb0 = lanes(b0);
        for (int i = end; i < len; i++) {
            ra0 = Math.fma(g[i], x[o0 + i], ra0);
            rb0 = Math.fma(h[i], x[o0 + i], rb0);
        }
        out[a] += ra0;
        out[b] += rb0;
    }

    /** {@code y[o + p] = fma(w3, z3[p], ... fma(w0, z0[p], y[o + p]))} for {@code p < len}. */
    static void scatter4(float[] y, int o, float[] z0, float[] z1, float[] z2, float[] z3,
                         float w0, float w1, float w2, float w3, int len) {
        final FloatVector v0 = FloatVector.broadcast(S, w0);
        final FloatVector v1 = FloatVector.broadcast(S, w1);
        final FloatVector v2 = FloatVector.broadcast(S, w2);
        final FloatVector v3 = FloatVector.broadcast(S, w3);
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector a = FloatVector.fromArray(S, y, o + i);
            a = FloatVector.fromArray(S, z0, i).fma(v0, a);
            a = FloatVector.fromArray(S, z1, i).fma(v1, a);
            a = FloatVector.fromArray(S, z2, i).fma(v2, a);
            a = FloatVector.fromArray(S, z3, i).fma(v3, a);
            a.intoArray(y, o + i);
        }
        for (int i = end; i < len; i++) {
            float a = y[o + i];
            a = Math.fma(z0[i], w0, a);
            a = Math.fma(z1[i], w1, a);
            a = Math.fma(z2[i], w2, a);
            a = Math.fma(z3[i], w3, a);
            y[o + i] = a;
        }
    }

    /** {@link #scatter4} with three filters. */
    static void scatter3(float[] y, int o, float[] z0, float[] z1, float[] z2, float w0, float w1, float w2, int len) {
        final FloatVector v0 = FloatVector.broadcast(S, w0);
        final FloatVector v1 = FloatVector.broadcast(S, w1);
        final FloatVector v2 = FloatVector.broadcast(S, w2);
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector a = FloatVector.fromArray(S, y, o + i);
            a = FloatVector.fromArray(S, z0, i).fma(v0, a);
            a = FloatVector.fromArray(S, z1, i).fma(v1, a);
            a = FloatVector.fromArray(S, z2, i).fma(v2, a);
            a.intoArray(y, o + i);
        }
        for (int i = end; i < len; i++) {
            float a = y[o + i];
            a = Math.fma(z0[i], w0, a);
            a = Math.fma(z1[i], w1, a);
            a = Math.fma(z2[i], w2, a);
            y[o + i] = a;
        }
    }

    /** {@link #scatter4} with two filters. */
    static void scatter2(float[] y, int o, float[] z0, float[] z1, float w0, float w1, int len) {
        final FloatVector v0 = FloatVector.broadcast(S, w0);
        final FloatVector v1 = FloatVector.broadcast(S, w1);
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector a = FloatVector.fromArray(S, y, o + i);
            a = FloatVector.fromArray(S, z0, i).fma(v0, a);
            a = FloatVector.fromArray(S, z1, i).fma(v1, a);
            a.intoArray(y, o + i);
        }
        for (int i = end; i < len; i++) {
            float a = y[o + i];
            a = Math.fma(z0[i], w0, a);
            a = Math.fma(z1[i], w1, a);
            y[o + i] = a;
        }
    }

    /** {@link #scatter4} with one filter. */
    static void scatter1(float[] y, int o, float[] z0, float w0, int len) {
        final FloatVector v0 = FloatVector.broadcast(S, w0);
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector.fromArray(S, z0, i).fma(v0, FloatVector.fromArray(S, y, o + i)).intoArray(y, o + i);
        }
        for (int i = end; i < len; i++) {
            y[o + i] = Math.fma(z0[i], w0, y[o + i]);
        }
    }
}
