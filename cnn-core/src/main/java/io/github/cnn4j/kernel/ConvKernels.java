package io.github.cnn4j.kernel;

import java.util.Arrays;

/**
 * 2-D cross-correlation (the kernel is not flipped) with zero padding and stride 1, for one sample.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input {@code x}: {@code (C, H, W)}</li>
 *   <li>weight: {@code (F, C, KH, KW)}; bias: {@code (F)}</li>
 *   <li>output {@code y}: {@code (F, OH, OW)} with {@code OH = H + 2P - KH + 1},
 *       {@code OW = W + 2P - KW + 1}</li>
 * </ul>
 *
 * <h2>Math</h2>
 * With {@code xp} the input zero-padded by {@code P} on all four sides:
 * <pre>
 *   y[f, i, j]   = b[f] + sum_{c, u, v} w[f, c, u, v] * xp[c, i + u, j + v]
 *   dW[f, c, u, v] += sum_{i, j} dy[f, i, j] * xp[c, i + u, j + v]
 *   db[f]          += sum_{i, j} dy[f, i, j]
 *   dx[c, y, x]     = dxp[c, y + P, x + P],  dxp[c, i + u, j + v] = sum_f w[f, c, u, v] * dy[f, i, j]
 * </pre>
 * The input gradient is the full correlation of {@code dy} with the kernel rotated by 180 degrees,
 * computed in the padded frame and then cropped back to {@code (C, H, W)}.
 *
 * <h2>How it is fast</h2>
 * Rows of the output are computed in a "wide" layout whose row stride is the padded input width
 * {@code PW}; then every (filter, channel, u, v) term is a single contiguous multiply-add over
 * {@code (OH - 1) * PW + OW} elements that the JIT turns into SIMD code. The {@code KW - 1} extra
 * columns per row are discarded (forward) or held at zero (backward).
 */
public final class ConvKernels {
    private ConvKernels() {
    }

    /**
     * @return output height or width for an input extent, kernel extent and padding
     * @param in input extent
     * @param k kernel extent
     * @param pad zero padding on each side
     */
    public static int outputSize(int in, int k, int pad) {
        return in + 2 * pad - k + 1;
    }

    /**
     * @return scratch floats {@link #forward} needs
     * @param c input channels
     * @param h input height
     * @param w input width
     * @param kh kernel height
     * @param kw kernel width
     * @param pad padding
     */
    public static int forwardWorkSize(int c, int h, int w, int kh, int kw, int pad) {
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        int oh = ph - kh + 1;
        return (pad > 0 ? c * ph * pw : 0) + oh * pw;
    }

    /**
     * @return scratch floats {@link #backward} needs
     * @param c input channels
     * @param h input height
     * @param w input width
     * @param f filters
     * @param kh kernel height
     * @param kw kernel width
     * @param pad padding
     */
    public static int backwardWorkSize(int c, int h, int w, int f, int kh, int kw, int pad) {
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        int oh = ph - kh + 1;
        return (pad > 0 ? 2 * c * ph * pw : 0) + f * oh * pw;
    }

    /**
     * Forward pass: {@code y = b + x ⋆ w}.
     *
     * @param x      input (not modified), one sample at {@code xOff}
     * @param xOff   offset of the sample in {@code x}
     * @param c      input channels
     * @param h      input height
     * @param w      input width
     * @param weight weights {@code (F, C, KH, KW)} (not modified)
     * @param bias   biases {@code (F)} (not modified)
     * @param f      filters
     * @param kh     kernel height
     * @param kw     kernel width
     * @param pad    zero padding on each side
     * @param y      output (modified: {@code F * OH * OW} floats from {@code yOff} are written)
     * @param yOff   offset of the sample in {@code y}
     * @param work   scratch of at least {@link #forwardWorkSize} floats (modified)
     */
    public static void forward(float[] x, int xOff, int c, int h, int w,
                               float[] weight, float[] bias, int f, int kh, int kw, int pad,
                               float[] y, int yOff, float[] work) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int plane = ph * pw;
        float[] src;
        int srcOff;
        int accOff;
        if (pad > 0) {
            pad(x, xOff, c, h, w, pad, work, 0);
            src = work;
            srcOff = 0;
            accOff = c * plane;
        } else {
            src = x;
            srcOff = xOff;
            accOff = 0;
        }
        final int span = (oh - 1) * pw + ow;
        final int kArea = kh * kw;
        for (int fi = 0; fi < f; fi++) {
            Arrays.fill(work, accOff, accOff + span, bias[fi]);
            int wBase = fi * c * kArea;
            for (int ci = 0; ci < c; ci++) {
                int cBase = srcOff + ci * plane;
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        float wt = weight[wBase + (ci * kh + u) * kw + v];
                        axpy(wt, src, cBase + u * pw + v, work, accOff, span);
                    }
                }
            }
            int yBase = yOff + fi * oh * ow;
            for (int i = 0; i < oh; i++) {
                System.arraycopy(work, accOff + i * pw, y, yBase + i * ow, ow);
            }
        }
    }

    /**
     * Backward pass: accumulates weight and bias gradients and writes the input gradient.
     *
     * @param x       the forward input (not modified)
     * @param xOff    offset of the sample in {@code x}
     * @param c       input channels
     * @param h       input height
     * @param w       input width
     * @param weight  weights {@code (F, C, KH, KW)} (not modified)
     * @param f       filters
     * @param kh      kernel height
     * @param kw      kernel width
     * @param pad     zero padding on each side
     * @param dy      gradient of the loss w.r.t. the output {@code (F, OH, OW)} (not modified)
     * @param dyOff   offset of the sample in {@code dy}
     * @param dWeight weight gradient (modified: accumulated into)
     * @param dBias   bias gradient (modified: accumulated into, the SUM of {@code dy} per filter)
     * @param dx      input gradient (modified: {@code C * H * W} floats written), or {@code null} to skip
     * @param dxOff   offset of the sample in {@code dx}
     * @param work    scratch of at least {@link #backwardWorkSize} floats (modified)
     */
    public static void backward(float[] x, int xOff, int c, int h, int w,
                                float[] weight, int f, int kh, int kw, int pad,
                                float[] dy, int dyOff,
                                float[] dWeight, float[] dBias, float[] dx, int dxOff, float[] work) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int plane = ph * pw;
        final int span = (oh - 1) * pw + ow;
        final int wide = oh * pw;
        final int kArea = kh * kw;

        float[] src;
        int srcOff;
        int dzOff;
        if (pad > 0) {
            pad(x, xOff, c, h, w, pad, work, 0);
            src = work;
            srcOff = 0;
            dzOff = c * plane;
        } else {
            src = x;
            srcOff = xOff;
            dzOff = 0;
        }
        // dy in the wide layout; the extra kw-1 columns per row stay zero.
        Arrays.fill(work, dzOff, dzOff + f * wide, 0f);
        for (int fi = 0; fi < f; fi++) {
            int from = dyOff + fi * oh * ow;
            int to = dzOff + fi * wide;
            float sum = 0f;
            for (int i = 0; i < oh; i++) {
                System.arraycopy(dy, from + i * ow, work, to + i * pw, ow);
            }
            for (int k = 0; k < oh * ow; k++) {
                sum += dy[from + k];
            }
            dBias[fi] += sum;
        }
        // Weight gradient: a dot product per (f, c, u, v).
        for (int fi = 0; fi < f; fi++) {
            int dz = dzOff + fi * wide;
            int wBase = fi * c * kArea;
            for (int ci = 0; ci < c; ci++) {
                int cBase = srcOff + ci * plane;
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        dWeight[wBase + (ci * kh + u) * kw + v] += dot(work, dz, src, cBase + u * pw + v, span);
                    }
                }
            }
        }
        if (dx == null) {
            return;
        }
        // Input gradient, in the padded frame when padded, else straight into dx.
        float[] dst;
        int dstOff;
        if (pad > 0) {
            dst = work;
            dstOff = dzOff + f * wide;
        } else {
            dst = dx;
            dstOff = dxOff;
        }
        Arrays.fill(dst, dstOff, dstOff + c * plane, 0f);
        for (int fi = 0; fi < f; fi++) {
            int dz = dzOff + fi * wide;
            int wBase = fi * c * kArea;
            for (int ci = 0; ci < c; ci++) {
                int cBase = dstOff + ci * plane;
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        float wt = weight[wBase + (ci * kh + u) * kw + v];
                        axpy(wt, work, dz, dst, cBase + u * pw + v, span);
                    }
                }
            }
        }
        if (pad > 0) {
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < h; i++) {
                    System.arraycopy(work, dstOff + ci * plane + (i + pad) * pw + pad, dx, dxOff + (ci * h + i) * w, w);
                }
            }
        }
    }

    /**
     * Copies one sample into a zero-padded buffer.
     *
     * @param x    input {@code (C, H, W)} (not modified)
     * @param xOff offset of the sample
     * @param c    channels
     * @param h    height
     * @param w    width
     * @param pad  padding on each side
     * @param dst  output {@code (C, H + 2P, W + 2P)} (modified)
     * @param dOff offset in {@code dst}
     */
    public static void pad(float[] x, int xOff, int c, int h, int w, int pad, float[] dst, int dOff) {
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        Arrays.fill(dst, dOff, dOff + c * ph * pw, 0f);
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, xOff + (ci * h + i) * w, dst, dOff + ci * ph * pw + (i + pad) * pw + pad, w);
            }
        }
    }

    /** {@code y[yOff + i] += a * x[xOff + i]} for {@code i < n}: contiguous, vectorized by the JIT. */
    static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /** Dot product with four independent accumulators, combined in a fixed order. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
