package io.github.cnn4j.kernel;

import java.util.Arrays;

/**
 * The stride-1 convolution of {@link ConvKernels} in plain Java 17: loops written so that HotSpot's
 * C2 compiler vectorizes the forward pass and the input gradient (every {@code float[]} access with
 * the same index, at most six multiply-adds per loop), and scalar fused multiply-adds with ten
 * independent accumulators for the weight gradient (a reduction, which C2 does not vectorize).
 * The layouts are {@link ConvLayout}'s; see {@link ConvKernels} for the math and the orders.
 */
final class ScalarConvKernels {
    /** Taps per vectorized pass: C2 in JDK 17 vectorizes a loop of up to six of them. */
    static final int GROUP = 6;
    /** Taps per scalar weight-gradient pass, for two filters at once: ten accumulators. */
    static final int DOT_GROUP = 5;
    /** Kernels with at least this many taps ({@code C * KH * KW}) vectorize the weight gradient over the taps (measured: faster for 6 x 5 x 5 = 150 taps, slower for 90 and 72). */
    static final int ROWS_MIN_TAPS = 128;

    private ScalarConvKernels() {
    }

    /** See {@link ConvKernels#forward}: the tap product, taps copied into arrays that start at 0 so that C2 vectorizes it. */
    static void forward(float[] x, int xOff, int n, int c, int h, int w,
                        float[] weight, float[] bias, int f, int kh, int kw, int pad,
                        float[] y, int yOff, ConvScratch s) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int plane = ph * pw;
        final int span = (oh - 1) * pw + ow;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int outSize = f * oh * ow;
        final int g = ConvLayout.group(plane, n);
        for (int s0 = 0; s0 < n; s0 += g) {
            int gn = Math.min(g, n - s0);
            int len = (gn - 1) * plane + span;
            s.padded = ConvScratch.grow(s.padded, c * gn * plane);
            s.acc = ConvScratch.grow(s.acc, f, len);
            s.taps = ConvScratch.grow(s.taps, GROUP, len);
            ConvLayout.padGroup(x, xOff + s0 * inSize, gn, c, h, w, pad, s.padded);
            for (int fi = 0; fi < f; fi++) {
                Arrays.fill(s.acc[fi], 0, len, bias[fi]);
            }
            for (int k0 = 0, cnt; k0 < taps; k0 += cnt) {
                cnt = ConvLayout.passSize(k0, taps, GROUP);
                for (int j = 0; j < cnt; j++) {
                    int k = k0 + j;
                    int ci = k / (kh * kw);
                    int r = k - ci * kh * kw;
                    int off = ci * gn * plane + (r / kw) * pw + r % kw;
                    System.arraycopy(s.padded, off, s.taps[j], 0, len);
                }
                for (int fi = 0; fi < f; fi++) {
                    madd(s.acc[fi], s.taps, cnt, weight, fi * taps + k0, len);
                }
            }
            ConvLayout.unwiden(s.acc, gn, f, oh, ow, pw, plane, y, yOff + s0 * outSize);
        }
    }

    /** See {@link ConvKernels#backward}: {@link #weightGradient}, then {@link #inputGradient}. */
    static void backward(float[] x, int xOff, int n, int c, int h, int w,
                         float[] weight, int f, int kh, int kw, int pad,
                         float[] dy, int dyOff,
                         float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch s) {
        weightGradient(x, xOff, n, c, h, w, f, kh, kw, pad, dy, dyOff, dWeight, dBias, s);
        if (dx != null) {
            inputGradient(n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dx, dxOff, s);
        }
    }

    /** See {@link ConvKernels#weightGradient}: scalar dot products over tap arrays, or rows for many taps. */
    static void weightGradient(float[] x, int xOff, int n, int c, int h, int w, int f, int kh, int kw, int pad,
                               float[] dy, int dyOff, float[] dWeight, float[] dBias, ConvScratch s) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int plane = ph * pw;
        final int span = (oh - 1) * pw + ow;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int outSize = f * oh * ow;
        final int g = ConvLayout.group(plane, n);
        if (taps >= ROWS_MIN_TAPS) {
            s.acc = ConvScratch.grow(s.acc, f, taps);
            for (int fi = 0; fi < f; fi++) {
                Arrays.fill(s.acc[fi], 0, taps, 0f);
            }
        }
        for (int s0 = 0; s0 < n; s0 += g) {
            int gn = Math.min(g, n - s0);
            int len = (gn - 1) * plane + span;
            s.padded = ConvScratch.grow(s.padded, c * gn * plane);
            ConvLayout.padGroup(x, xOff + s0 * inSize, gn, c, h, w, pad, s.padded);
            biasGradient(dy, dyOff + s0 * outSize, gn, f, oh * ow, dBias);
            if (taps >= ROWS_MIN_TAPS) {
                weightGradientByRows(gn, s0, c, f, kh, kw, pw, oh, ow, plane, dy, dyOff, outSize, s);
                continue;
            }
            ConvLayout.wideGradient(dy, dyOff + s0 * outSize, gn, f, oh, ow, pw, plane, len, s);
            s.taps = ConvScratch.grow(s.taps, GROUP, len);
            // Weight gradient: dW[f, k] += sum_i dz_f[i] * tap_k[i].
            for (int k0 = 0, cnt; k0 < taps; k0 += cnt) {
                cnt = ConvLayout.passSize(k0, taps, DOT_GROUP);
                for (int j = 0; j < cnt; j++) {
                    int k = k0 + j;
                    int ci = k / (kh * kw);
                    int r = k - ci * kh * kw;
                    int off = ci * gn * plane + (r / kw) * pw + r % kw;
                    System.arraycopy(s.padded, off, s.taps[j], 0, len);
                }
                int fi = 0;
                for (; fi + 1 < f; fi += 2) {
                    dotsPair(s.dz[fi], s.dz[fi + 1], s.taps, cnt, dWeight, fi * taps + k0, (fi + 1) * taps + k0, gn, plane, oh, pw, ow);
                }
                if (fi < f) {
                    dotsOne(s.dz[fi], s.taps, cnt, dWeight, fi * taps + k0, gn, plane, oh, pw, ow);
                }
            }
        }
        if (taps >= ROWS_MIN_TAPS) {
            for (int fi = 0; fi < f; fi++) {
                float[] a = s.acc[fi];
                for (int k = 0; k < taps; k++) {
                    dWeight[fi * taps + k] += a[k];
                }
            }
        }
    }

    /**
     * Weight gradient with the taps as the vector dimension, for kernels with many taps: each output
     * position's receptive field is copied into a row {@code r_p[k] = xp[c, i + u, j + v]}
     * ({@code k = (c, u, v)}), and {@code acc_f[k] += sum_p dy[f, p] * r_p[k]} runs as the same
     * vectorized multiply-add as the forward pass, six positions per pass, over the valid positions
     * only. {@code s.acc[f]} holds the sums until the caller adds them to the gradient.
     */
    private static void weightGradientByRows(int gn, int s0, int c, int f, int kh, int kw, int pw, int oh, int ow, int plane,
                                             float[] dy, int dyOff, int outSize, ConvScratch s) {
        final int taps = c * kh * kw;
        final int positions = oh * ow;
        s.rows = ConvScratch.grow(s.rows, positions, taps);
        float[] src = s.padded;
        for (int m = 0; m < gn; m++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float[] row = s.rows[i * ow + j];
                    int q = 0;
                    for (int ci = 0; ci < c; ci++) {
                        int base = (ci * gn + m) * plane + i * pw + j;
                        for (int u = 0; u < kh; u++) {
                            int b = base + u * pw;
                            for (int v = 0; v < kw; v++) {
                                row[q++] = src[b + v];
                            }
                        }
                    }
                }
            }
            int from = dyOff + (s0 + m) * outSize;
            for (int p0 = 0, cnt; p0 < positions; p0 += cnt) {
                cnt = ConvLayout.passSize(p0, positions, GROUP);
                for (int fi = 0; fi < f; fi++) {
                    madd(s.acc[fi], s.rows, p0, cnt, dy, from + fi * positions + p0, taps);
                }
            }
        }
    }

    /** See {@link ConvKernels#inputGradient}: the tap product over the padded {@code dy} with rotated weights. */
    static void inputGradient(int n, int c, int h, int w, float[] weight, int f, int kh, int kw, int pad,
                              float[] dy, int dyOff, float[] dx, int dxOff, ConvScratch s) {
        final int oh = h + 2 * pad - kh + 1;
        final int ow = w + 2 * pad - kw + 1;
        final int q = ow + 2 * (kw - 1);          // row stride of the padded dy
        final int zh = oh + 2 * (kh - 1);
        final int plane = zh * q;
        final int span = (h - 1) * q + w;
        final int area = kh * kw;
        final int taps = f * area;
        final int inSize = c * h * w;
        final int outSize = f * oh * ow;
        // rotated[c][f][u'][v'] = weight[f][c][kh-1-u'][kw-1-v']
        s.rotated = ConvScratch.grow(s.rotated, c * taps);
        for (int ci = 0; ci < c; ci++) {
            for (int fi = 0; fi < f; fi++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        s.rotated[ci * taps + fi * area + u * kw + v] = weight[((fi * c + ci) * kh + (kh - 1 - u)) * kw + (kw - 1 - v)];
                    }
                }
            }
        }
        final int g = ConvLayout.group(plane, n);
        for (int s0 = 0; s0 < n; s0 += g) {
            int gn = Math.min(g, n - s0);
            int len = (gn - 1) * plane + span;
            s.padded2 = ConvScratch.grow(s.padded2, f * gn * plane);
            s.acc = ConvScratch.grow(s.acc, c, len);
            s.taps = ConvScratch.grow(s.taps, GROUP, len);
            float[] zp = s.padded2;
            Arrays.fill(zp, 0, f * gn * plane, 0f);
            for (int fi = 0; fi < f; fi++) {
                for (int m = 0; m < gn; m++) {
                    int from = dyOff + (s0 + m) * outSize + fi * oh * ow;
                    int to = (fi * gn + m) * plane + (kh - 1) * q + (kw - 1);
                    for (int i = 0; i < oh; i++) {
                        System.arraycopy(dy, from + i * ow, zp, to + i * q, ow);
                    }
                }
            }
            for (int ci = 0; ci < c; ci++) {
                Arrays.fill(s.acc[ci], 0, len, 0f);
            }
            for (int k0 = 0, cnt; k0 < taps; k0 += cnt) {
                cnt = ConvLayout.passSize(k0, taps, GROUP);
                for (int j = 0; j < cnt; j++) {
                    int k = k0 + j;
                    int fi = k / area;
                    int r = k - fi * area;
                    int off = fi * gn * plane + (pad + r / kw) * q + pad + r % kw;
                    System.arraycopy(zp, off, s.taps[j], 0, len);
                }
                for (int ci = 0; ci < c; ci++) {
                    madd(s.acc[ci], s.taps, cnt, s.rotated, ci * taps + k0, len);
                }
            }
            for (int m = 0; m < gn; m++) {
                int base = dxOff + (s0 + m) * inSize;
                for (int ci = 0; ci < c; ci++) {
                    float[] a = s.acc[ci];
                    for (int i = 0; i < h; i++) {
                        System.arraycopy(a, m * plane + i * q, dx, base + (ci * h + i) * w, w);
                    }
                }
            }
        }
    }

    /**
     * {@code dBias[f] += sum of dy[m, f, :]} for each of {@code gn} samples in turn (each sample's
     * sum in order, then added).
     */
    static void biasGradient(float[] dy, int from, int gn, int f, int area, float[] dBias) {
        for (int fi = 0; fi < f; fi++) {
            for (int m = 0; m < gn; m++) {
                int o = from + (m * f + fi) * area;
                float sum = 0f;
                for (int k = 0; k < area; k++) {
                    sum += dy[o + k];
                }
                dBias[fi] += sum;
            }
        }
    }

    // ------------------------------------------------------------------ micro-kernels

    /**
     * {@code acc[i] = fma(wt[o + cnt - 1], t[cnt - 1][i], ... fma(wt[o], t[0][i], acc[i]))} for {@code i < n}:
     * the taps are added in order, one rounding each. Every access has index {@code i}, so C2 vectorizes it.
     */
    static void madd(float[] acc, float[][] t, int cnt, float[] wt, int o, int n) {
        madd(acc, t, 0, cnt, wt, o, n);
    }

    /** {@link #madd(float[], float[][], int, float[], int, int)} with the taps {@code t[tp .. tp + cnt)}. */
    static void madd(float[] acc, float[][] t, int tp, int cnt, float[] wt, int o, int n) {
        switch (cnt) {
            case 6:
                madd6(acc, t[tp], t[tp + 1], t[tp + 2], t[tp + 3], t[tp + 4], t[tp + 5], wt[o], wt[o + 1], wt[o + 2], wt[o + 3], wt[o + 4], wt[o + 5], n);
                break;
            case 5:
                madd5(acc, t[tp], t[tp + 1], t[tp + 2], t[tp + 3], t[tp + 4], wt[o], wt[o + 1], wt[o + 2], wt[o + 3], wt[o + 4], n);
                break;
            case 4:
                madd4(acc, t[tp], t[tp + 1], t[tp + 2], t[tp + 3], wt[o], wt[o + 1], wt[o + 2], wt[o + 3], n);
                break;
            case 3:
                madd3(acc, t[tp], t[tp + 1], t[tp + 2], wt[o], wt[o + 1], wt[o + 2], n);
                break;
            case 2:
                madd2(acc, t[tp], t[tp + 1], wt[o], wt[o + 1], n);
                break;
            case 1:
                madd1(acc, t[tp], wt[o], n);
                break;
            default:
                throw new IllegalArgumentException("tap count " + cnt);
        }
    }

    static void madd6(float[] a, float[] t0, float[] t1, float[] t2, float[] t3, float[] t4, float[] t5,
                      float w0, float w1, float w2, float w3, float w4, float w5, int n) {
        for (int i = 0; i < n; i++) {
            float s = Math.fma(w0, t0[i], a[i]);
            s = Math.fma(w1, t1[i], s);
            s = Math.fma(w2, t2[i], s);
            s = Math.fma(w3, t3[i], s);
            s = Math.fma(w4, t4[i], s);
            a[i] = Math.fma(w5, t5[i], s);
        }
    }

    static void madd5(float[] a, float[] t0, float[] t1, float[] t2, float[] t3, float[] t4,
                      float w0, float w1, float w2, float w3, float w4, int n) {
        for (int i = 0; i < n; i++) {
            float s = Math.fma(w0, t0[i], a[i]);
            s = Math.fma(w1, t1[i], s);
            s = Math.fma(w2, t2[i], s);
            s = Math.fma(w3, t3[i], s);
            a[i] = Math.fma(w4, t4[i], s);
        }
    }

    static void madd4(float[] a, float[] t0, float[] t1, float[] t2, float[] t3, float w0, float w1, float w2, float w3, int n) {
        for (int i = 0; i < n; i++) {
            float s = Math.fma(w0, t0[i], a[i]);
            s = Math.fma(w1, t1[i], s);
            s = Math.fma(w2, t2[i], s);
            a[i] = Math.fma(w3, t3[i], s);
        }
    }

    static void madd3(float[] a, float[] t0, float[] t1, float[] t2, float w0, float w1, float w2, int n) {
        for (int i = 0; i < n; i++) {
            float s = Math.fma(w0, t0[i], a[i]);
            s = Math.fma(w1, t1[i], s);
            a[i] = Math.fma(w2, t2[i], s);
        }
    }

    static void madd2(float[] a, float[] t0, float[] t1, float w0, float w1, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = Math.fma(w1, t1[i], Math.fma(w0, t0[i], a[i]));
        }
    }

    static void madd1(float[] a, float[] t0, float w0, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = Math.fma(w0, t0[i], a[i]);
        }
    }

    /**
     * {@code out[o + j] += sum_i g[i] * t[j][i]} and {@code out[o2 + j] += sum_i h[i] * t[j][i]}
     * for {@code j < cnt <= 5}, over the valid positions {@code i = m * plane + r * pw + col}
     * ({@code m < gn, r < oh, col < ow}) of the wide layout (the other positions hold zeros): the weight gradient of two filters over the same taps. Scalar (C2 does
     * not vectorize a float reduction without reordering it), one accumulator per (filter, tap) summed
     * in index order with fused multiply-adds: up to ten independent chains hide the latency of the
     * multiply-add, and each tap value loaded serves both filters.
     */
    static void dotsPair(float[] g, float[] h, float[][] t, int cnt, float[] out, int o, int o2, int gn, int plane, int oh, int pw, int ow) {
        switch (cnt) {
            case 5:
                pair5(g, h, t[0], t[1], t[2], t[3], t[4], out, o, o2, gn, plane, oh, pw, ow);
                break;
            case 4:
                pair4(g, h, t[0], t[1], t[2], t[3], out, o, o2, gn, plane, oh, pw, ow);
                break;
            case 3:
                pair3(g, h, t[0], t[1], t[2], out, o, o2, gn, plane, oh, pw, ow);
                break;
            default:
                for (int j = 0; j < cnt; j++) {
                    out[o + j] += dot(g, t[j], gn, plane, oh, pw, ow);
                    out[o2 + j] += dot(h, t[j], gn, plane, oh, pw, ow);
                }
        }
    }

    /** {@code out[o + j] += sum_{i < n} g[i] * t[j][i]} for {@code j < cnt <= 5}, one filter (see {@link #dotsPair}). */
    static void dotsOne(float[] g, float[][] t, int cnt, float[] out, int o, int gn, int plane, int oh, int pw, int ow) {
        switch (cnt) {
            case 5:
                one5(g, t[0], t[1], t[2], t[3], t[4], out, o, gn, plane, oh, pw, ow);
                break;
            case 4:
                one4(g, t[0], t[1], t[2], t[3], out, o, gn, plane, oh, pw, ow);
                break;
            default:
                for (int j = 0; j < cnt; j++) {
                    out[o + j] += dot(g, t[j], gn, plane, oh, pw, ow);
                }
        }
    }

    static void pair5(float[] g, float[] h, float[] t0, float[] t1, float[] t2, float[] t3, float[] t4, float[] out, int o, int o2, int gn, int plane, int oh, int pw, int ow) {
        float a0 = 0f;
        float b0 = 0f;
        float a1 = 0f;
        float b1 = 0f;
        float a2 = 0f;
        float b2 = 0f;
        float a3 = 0f;
        float b3 = 0f;
        float a4 = 0f;
        float b4 = 0f;
        for (int m = 0; m < gn; m++) {
            for (int r = 0; r < oh; r++) {
                int lo = m * plane + r * pw;
                for (int i = lo; i < lo + ow; i++) {
                    float d = g[i];
                    float e = h[i];
                    float x0 = t0[i];
                    float x1 = t1[i];
                    float x2 = t2[i];
                    float x3 = t3[i];
                    float x4 = t4[i];
                    a0 = Math.fma(d, x0, a0);
                    a1 = Math.fma(d, x1, a1);
                    a2 = Math.fma(d, x2, a2);
                    a3 = Math.fma(d, x3, a3);
                    a4 = Math.fma(d, x4, a4);
                    b0 = Math.fma(e, x0, b0);
                    b1 = Math.fma(e, x1, b1);
                    b2 = Math.fma(e, x2, b2);
                    b3 = Math.fma(e, x3, b3);
                    b4 = Math.fma(e, x4, b4);
                }
            }
        }
        out[o] += a0;
        out[o + 1] += a1;
        out[o + 2] += a2;
        out[o + 3] += a3;
        out[o + 4] += a4;
        out[o2] += b0;
        out[o2 + 1] += b1;
        out[o2 + 2] += b2;
        out[o2 + 3] += b3;
        out[o2 + 4] += b4;
    }

    static void pair4(float[] g, float[] h, float[] t0, float[] t1, float[] t2, float[] t3, float[] out, int o, int o2, int gn, int plane, int oh, int pw, int ow) {
        float a0 = 0f;
        float b0 = 0f;
        float a1 = 0f;
        float b1 = 0f;
        float a2 = 0f;
        float b2 = 0f;
        float a3 = 0f;
        float b3 = 0f;
        for (int m = 0; m < gn; m++) {
            for (int r = 0; r < oh; r++) {
                int lo = m * plane + r * pw;
                for (int i = lo; i < lo + ow; i++) {
                    float d = g[i];
                    float e = h[i];
                    float x0 = t0[i];
                    float x1 = t1[i];
                    float x2 = t2[i];
                    float x3 = t3[i];
                    a0 = Math.fma(d, x0, a0);
                    a1 = Math.fma(d, x1, a1);
                    a2 = Math.fma(d, x2, a2);
                    a3 = Math.fma(d, x3, a3);
                    b0 = Math.fma(e, x0, b0);
                    b1 = Math.fma(e, x1, b1);
                    b2 = Math.fma(e, x2, b2);
                    b3 = Math.fma(e, x3, b3);
                }
            }
        }
        out[o] += a0;
        out[o + 1] += a1;
        out[o + 2] += a2;
        out[o + 3] += a3;
        out[o2] += b0;
        out[o2 + 1] += b1;
        out[o2 + 2] += b2;
        out[o2 + 3] += b3;
    }

    static void pair3(float[] g, float[] h, float[] t0, float[] t1, float[] t2, float[] out, int o, int o2, int gn, int plane, int oh, int pw, int ow) {
        float a0 = 0f;
        float b0 = 0f;
        float a1 = 0f;
        float b1 = 0f;
        float a2 = 0f;
        float b2 = 0f;
        for (int m = 0; m < gn; m++) {
            for (int r = 0; r < oh; r++) {
                int lo = m * plane + r * pw;
                for (int i = lo; i < lo + ow; i++) {
                    float d = g[i];
                    float e = h[i];
                    float x0 = t0[i];
                    float x1 = t1[i];
                    float x2 = t2[i];
                    a0 = Math.fma(d, x0, a0);
                    a1 = Math.fma(d, x1, a1);
                    a2 = Math.fma(d, x2, a2);
                    b0 = Math.fma(e, x0, b0);
                    b1 = Math.fma(e, x1, b1);
                    b2 = Math.fma(e, x2, b2);
                }
            }
        }
        out[o] += a0;
        out[o + 1] += a1;
        out[o + 2] += a2;
        out[o2] += b0;
        out[o2 + 1] += b1;
        out[o2 + 2] += b2;
    }

    static void one5(float[] g, float[] t0, float[] t1, float[] t2, float[] t3, float[] t4, float[] out, int o, int gn, int plane, int oh, int pw, int ow) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        float a4 = 0f;
        for (int m = 0; m < gn; m++) {
            for (int r = 0; r < oh; r++) {
                int lo = m * plane + r * pw;
                for (int i = lo; i < lo + ow; i++) {
                    float d = g[i];
                    a0 = Math.fma(d, t0[i], a0);
                    a1 = Math.fma(d, t1[i], a1);
                    a2 = Math.fma(d, t2[i], a2);
                    a3 = Math.fma(d, t3[i], a3);
                    a4 = Math.fma(d, t4[i], a4);
                }
            }
        }
        out[o] += a0;
        out[o + 1] += a1;
        out[o + 2] += a2;
        out[o + 3] += a3;
        out[o + 4] += a4;
    }

    static void one4(float[] g, float[] t0, float[] t1, float[] t2, float[] t3, float[] out, int o, int gn, int plane, int oh, int pw, int ow) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        for (int m = 0; m < gn; m++) {
            for (int r = 0; r < oh; r++) {
                int lo = m * plane + r * pw;
                for (int i = lo; i < lo + ow; i++) {
                    float d = g[i];
                    a0 = Math.fma(d, t0[i], a0);
                    a1 = Math.fma(d, t1[i], a1);
                    a2 = Math.fma(d, t2[i], a2);
                    a3 = Math.fma(d, t3[i], a3);
                }
            }
        }
        out[o] += a0;
        out[o + 1] += a1;
        out[o + 2] += a2;
        out[o + 3] += a3;
    }



    /** {@code sum_i g[i] * t[i]} over the valid positions (see {@link #dotsPair}) in order, with fused multiply-adds. */
    static float dot(float[] g, float[] t, int gn, int plane, int oh, int pw, int ow) {
        float s = 0f;
        for (int m = 0; m < gn; m++) {
            for (int r = 0; r < oh; r++) {
                int lo = m * plane + r * pw;
                for (int i = lo; i < lo + ow; i++) {
                    s = Math.fma(g[i], t[i], s);
                }
            }
        }
        return s;
    }
}
