package io.github.cnn4j.kernel;

import java.util.Arrays;

/**
 * The scalar strided convolution ({@link StridedConvKernels} without the Vector API): a tap product
 * over the output positions. The input values that meet tap {@code (c, u, v)} at every output
 * position of a group of samples are gathered ({@link ConvLayout#gatherTap}) into a tap array that
 * starts at index 0, and every filter accumulates {@code acc_f[p] = fma(w[f, k], tap_k[p], acc_f[p])}
 * over up to six taps per pass ({@link ScalarConvKernels#madd}, loops with one index that HotSpot's
 * C2 vectorizes). The weight gradient is the scalar ten-accumulator dot products of {@code dy_f} with
 * the same taps; the input gradient computes {@code t_k[p] = sum_f w[f, k] dy_f[p]} the same
 * vectorized way and scatters it to the strided positions. See {@link StridedConvKernels} for the
 * shapes, the math and the order of the sums.
 */
final class ScalarStridedConvKernels {
    private ScalarStridedConvKernels() {
    }

    /**
     * Forward pass: {@code y = b + x ⋆ w} with stride {@code s}, for {@code n} samples.
     *
     * @param x      input (not modified), sample 0 at {@code xOff}
     * @param xOff   offset of the first sample in {@code x}
     * @param n      samples (consecutive, {@code C * H * W} floats each)
     * @param c      input channels
     * @param h      input height
     * @param w      input width
     * @param weight weights {@code (F, C, KH, KW)} (not modified)
     * @param bias   biases {@code (F)} (not modified)
     * @param f      filters
     * @param kh     kernel height
     * @param kw     kernel width
     * @param pad    zero padding on each side
     * @param s      stride, at least 1
     * @param y      output (modified: {@code n * F * OH * OW} floats from {@code yOff} are written)
     * @param yOff   offset of the first sample in {@code y}
     * @param sc     scratch (modified)
     */
    static void forward(float[] x, int xOff, int n, int c, int h, int w,
                               float[] weight, float[] bias, int f, int kh, int kw, int pad, int s,
                               float[] y, int yOff, ConvScratch sc) {
        final int oh = StridedConvKernels.outputSize(h, kh, pad, s);
        final int ow = StridedConvKernels.outputSize(w, kw, pad, s);
        final int positions = oh * ow;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int outSize = f * positions;
        final int g = ConvLayout.group(positions, n);
        for (int s0 = 0; s0 < n; s0 += g) {
            int gn = Math.min(g, n - s0);
            int len = gn * positions;
            sc.acc = ConvScratch.grow(sc.acc, f, len);
            sc.taps = ConvScratch.grow(sc.taps, ScalarConvKernels.GROUP, len);
            for (int fi = 0; fi < f; fi++) {
                Arrays.fill(sc.acc[fi], 0, len, bias[fi]);
            }
            for (int k0 = 0, cnt; k0 < taps; k0 += cnt) {
                cnt = ConvLayout.passSize(k0, taps, ScalarConvKernels.GROUP);
                for (int j = 0; j < cnt; j++) {
                    ConvLayout.gatherTap(x, xOff + s0 * inSize, gn, c, h, w, kh, kw, pad, s, oh, ow, k0 + j, sc.taps[j]);
                }
                for (int fi = 0; fi < f; fi++) {
                    ScalarConvKernels.madd(sc.acc[fi], sc.taps, cnt, weight, fi * taps + k0, len);
                }
            }
            for (int m = 0; m < gn; m++) {
                for (int fi = 0; fi < f; fi++) {
                    System.arraycopy(sc.acc[fi], m * positions, y, yOff + (s0 + m) * outSize + fi * positions, positions);
                }
            }
        }
    }

    /**
     * Backward pass for {@code n} samples: accumulates weight and bias gradients and writes the
     * input gradient.
     *
     * @param x       the forward input (not modified), sample 0 at {@code xOff}
     * @param xOff    offset of the first sample in {@code x}
     * @param n       samples
     * @param c       input channels
     * @param h       input height
     * @param w       input width
     * @param weight  weights {@code (F, C, KH, KW)} (not modified)
     * @param f       filters
     * @param kh      kernel height
     * @param kw      kernel width
     * @param pad     zero padding on each side
     * @param s       stride, at least 1
     * @param dy      gradient of the loss w.r.t. the output, {@code n} samples of {@code (F, OH, OW)} (not modified)
     * @param dyOff   offset of the first sample in {@code dy}
     * @param dWeight weight gradient (modified: accumulated into, summed over the samples)
     * @param dBias   bias gradient (modified: accumulated into, the SUM of {@code dy} per filter)
     * @param dx      input gradient (modified: {@code n * C * H * W} floats written), or {@code null} to skip
     * @param dxOff   offset of the first sample in {@code dx}
     * @param sc      scratch (modified)
     */
    static void backward(float[] x, int xOff, int n, int c, int h, int w,
                                float[] weight, int f, int kh, int kw, int pad, int s,
                                float[] dy, int dyOff,
                                float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch sc) {
        final int oh = StridedConvKernels.outputSize(h, kh, pad, s);
        final int ow = StridedConvKernels.outputSize(w, kw, pad, s);
        final int positions = oh * ow;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int outSize = f * positions;
        final int g = ConvLayout.group(positions, n);
        if (dx != null) {
            // transposed weights wt[k][f], so that a tap's filters are consecutive
            sc.rotated = ConvScratch.grow(sc.rotated, taps * f);
            for (int fi = 0; fi < f; fi++) {
                for (int k = 0; k < taps; k++) {
                    sc.rotated[k * f + fi] = weight[fi * taps + k];
                }
            }
        }
        for (int s0 = 0; s0 < n; s0 += g) {
            int gn = Math.min(g, n - s0);
            int len = gn * positions;
            sc.dz = ConvScratch.grow(sc.dz, f, len);
            for (int fi = 0; fi < f; fi++) {
                for (int m = 0; m < gn; m++) {
                    int o = dyOff + (s0 + m) * outSize + fi * positions;
                    System.arraycopy(dy, o, sc.dz[fi], m * positions, positions);
                    float sum = 0f;
                    for (int p = 0; p < positions; p++) {
                        sum += dy[o + p];
                    }
                    dBias[fi] += sum;
                }
            }
            weightGradient(x, xOff + s0 * inSize, gn, c, h, w, f, kh, kw, pad, s, oh, ow, len, dWeight, sc);
            if (dx != null) {
                inputGradient(gn, c, h, w, f, kh, kw, pad, s, oh, ow, len, dx, dxOff + s0 * inSize, sc);
            }
        }
    }

    /** {@code dW[f, k] += sum_p dz_f[p] * tap_k[p]} over a group, two filters and up to five taps per pass. */
    private static void weightGradient(float[] x, int xOff, int gn, int c, int h, int w, int f, int kh, int kw, int pad, int s,
                                       int oh, int ow, int len, float[] dWeight, ConvScratch sc) {
        final int taps = c * kh * kw;
        sc.taps = ConvScratch.grow(sc.taps, ScalarConvKernels.GROUP, len);
        for (int k0 = 0, cnt; k0 < taps; k0 += cnt) {
            cnt = ConvLayout.passSize(k0, taps, ScalarConvKernels.DOT_GROUP);
            for (int j = 0; j < cnt; j++) {
                ConvLayout.gatherTap(x, xOff, gn, c, h, w, kh, kw, pad, s, oh, ow, k0 + j, sc.taps[j]);
            }
            int fi = 0;
            for (; fi + 1 < f; fi += 2) {
                ScalarConvKernels.dotsPair(sc.dz[fi], sc.dz[fi + 1], sc.taps, cnt, dWeight, fi * taps + k0, (fi + 1) * taps + k0,
                        1, len, 1, len, len);
            }
            if (fi < f) {
                ScalarConvKernels.dotsOne(sc.dz[fi], sc.taps, cnt, dWeight, fi * taps + k0, 1, len, 1, len, len);
            }
        }
    }

    /** {@code t_k = sum_f wt[k][f] dz_f} for each tap, scattered to the strided positions of the padded gradient, then cropped into {@code dx}. */
    private static void inputGradient(int gn, int c, int h, int w, int f, int kh, int kw, int pad, int s, int oh, int ow, int len,
                                      float[] dx, int dxOff, ConvScratch sc) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int plane = ph * pw;
        final int area = kh * kw;
        final int taps = c * area;
        final int positions = oh * ow;
        sc.padded2 = ConvScratch.grow(sc.padded2, gn * c * plane);
        sc.acc = ConvScratch.grow(sc.acc, 1, len);
        float[] dxp = sc.padded2;
        float[] t = sc.acc[0];
        Arrays.fill(dxp, 0, gn * c * plane, 0f);
        for (int k = 0; k < taps; k++) {
            int ci = k / area;
            int u = (k % area) / kw;
            int v = k % kw;
            Arrays.fill(t, 0, len, 0f);
            for (int f0 = 0, cnt; f0 < f; f0 += cnt) {
                cnt = ConvLayout.passSize(f0, f, ScalarConvKernels.GROUP);
                ScalarConvKernels.madd(t, sc.dz, f0, cnt, sc.rotated, k * f + f0, len);
            }
            for (int m = 0; m < gn; m++) {
                int base = (m * c + ci) * plane + u * pw + v;
                for (int i = 0; i < oh; i++) {
                    int row = base + s * i * pw;
                    int p = m * positions + i * ow;
                    for (int j = 0; j < ow; j++) {
                        dxp[row + s * j] += t[p + j];
                    }
                }
            }
        }
        for (int m = 0; m < gn; m++) {
            for (int ci = 0; ci < c; ci++) {
                int from = (m * c + ci) * plane + pad * pw + pad;
                for (int yy = 0; yy < h; yy++) {
                    System.arraycopy(dxp, from + yy * pw, dx, dxOff + m * c * h * w + (ci * h + yy) * w, w);
                }
            }
        }
    }
}
