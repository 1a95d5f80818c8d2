package io.github.cnn4j.kernel;

import java.util.Arrays;

/**
 * 2-D cross-correlation with zero padding and a stride {@code S >= 1}, for one sample. {@code Conv}
 * uses it when its stride is greater than 1 ({@link ConvKernels} is the faster stride-1 path).
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input {@code x}: {@code (C, H, W)}</li>
 *   <li>weight: {@code (F, C, KH, KW)}; bias: {@code (F)}</li>
 *   <li>output {@code y}: {@code (F, OH, OW)} with {@code OH = floor((H + 2P - KH) / S) + 1},
 *       {@code OW = floor((W + 2P - KW) / S) + 1}; padded rows and columns beyond the last full
 *       window are not used (and get zero gradient)</li>
 * </ul>
 *
 * <h2>Math</h2>
 * With {@code xp} the input zero-padded by {@code P} on all four sides:
 * <pre>
 *   y[f, i, j]      = b[f] + sum_{c, u, v} w[f, c, u, v] * xp[c, S*i + u, S*j + v]
 *   dW[f, c, u, v] += sum_{i, j} dy[f, i, j] * xp[c, S*i + u, S*j + v]
 *   db[f]          += sum_{i, j} dy[f, i, j]
 *   dxp[c, S*i + u, S*j + v] += w[f, c, u, v] * dy[f, i, j]   (summed over f, i, j, u, v)
 *   dx[c, y, x]     = dxp[c, y + P, x + P]
 * </pre>
 * For {@code S = 1} these are exactly {@link ConvKernels}' equations. Each (filter, channel, u, v)
 * term is a loop over the output with input index step {@code S}.
 */
public final class StridedConvKernels {
    private StridedConvKernels() {
    }

    /**
     * @param in     input extent
     * @param k      kernel extent
     * @param pad    zero padding on each side
     * @param stride stride, at least 1
     * @return output extent {@code floor((in + 2 pad - k) / stride) + 1}
     */
    public static int outputSize(int in, int k, int pad, int stride) {
        return (in + 2 * pad - k) / stride + 1;
    }

    /**
     * @param c   input channels
     * @param h   input height
     * @param w   input width
     * @param pad padding
     * @return scratch floats {@link #forward} needs
     */
    public static int forwardWorkSize(int c, int h, int w, int pad) {
        return pad > 0 ? c * (h + 2 * pad) * (w + 2 * pad) : 0;
    }

    /**
     * @param c   input channels
     * @param h   input height
     * @param w   input width
     * @param pad padding
     * @return scratch floats {@link #backward} needs
     */
    public static int backwardWorkSize(int c, int h, int w, int pad) {
        return 2 * c * (h + 2 * pad) * (w + 2 * pad);
    }

    /**
     * Forward pass: {@code y = b + x ⋆ w} with stride {@code s}.
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
     * @param s      stride, at least 1
     * @param y      output (modified: {@code F * OH * OW} floats from {@code yOff} are written)
     * @param yOff   offset of the sample in {@code y}
     * @param work   scratch of at least {@link #forwardWorkSize} floats (modified)
     */
    public static void forward(float[] x, int xOff, int c, int h, int w,
                               float[] weight, float[] bias, int f, int kh, int kw, int pad, int s,
                               float[] y, int yOff, float[] work) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = (ph - kh) / s + 1;
        final int ow = (pw - kw) / s + 1;
        final int plane = ph * pw;
        float[] src = x;
        int srcOff = xOff;
        if (pad > 0) {
            ConvLayout.pad(x, xOff, c, h, w, pad, work, 0);
            src = work;
            srcOff = 0;
        }
        final int kArea = kh * kw;
        for (int fi = 0; fi < f; fi++) {
            int yBase = yOff + fi * oh * ow;
            Arrays.fill(y, yBase, yBase + oh * ow, bias[fi]);
            int wBase = fi * c * kArea;
            for (int ci = 0; ci < c; ci++) {
                int cBase = srcOff + ci * plane;
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        float wt = weight[wBase + (ci * kh + u) * kw + v];
                        for (int i = 0; i < oh; i++) {
                            int in = cBase + (s * i + u) * pw + v;
                            int o = yBase + i * ow;
                            for (int j = 0; j < ow; j++) {
                                y[o + j] += wt * src[in + s * j];
                            }
                        }
                    }
                }
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
     * @param s       stride, at least 1
     * @param dy      gradient of the loss w.r.t. the output {@code (F, OH, OW)} (not modified)
     * @param dyOff   offset of the sample in {@code dy}
     * @param dWeight weight gradient (modified: accumulated into)
     * @param dBias   bias gradient (modified: accumulated into, the SUM of {@code dy} per filter)
     * @param dx      input gradient (modified: {@code C * H * W} floats written), or {@code null} to skip
     * @param dxOff   offset of the sample in {@code dx}
     * @param work    scratch of at least {@link #backwardWorkSize} floats (modified)
     */
    public static void backward(float[] x, int xOff, int c, int h, int w,
                                float[] weight, int f, int kh, int kw, int pad, int s,
                                float[] dy, int dyOff,
                                float[] dWeight, float[] dBias, float[] dx, int dxOff, float[] work) {
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = (ph - kh) / s + 1;
        final int ow = (pw - kw) / s + 1;
        final int plane = ph * pw;
        final int kArea = kh * kw;
        float[] src = x;
        int srcOff = xOff;
        if (pad > 0) {
            ConvLayout.pad(x, xOff, c, h, w, pad, work, 0);
            src = work;
            srcOff = 0;
        }
        final int dxpOff = c * plane;
        if (dx != null) {
            Arrays.fill(work, dxpOff, dxpOff + c * plane, 0f);
        }
        for (int fi = 0; fi < f; fi++) {
            int dyBase = dyOff + fi * oh * ow;
            float sum = 0f;
            for (int k = 0; k < oh * ow; k++) {
                sum += dy[dyBase + k];
            }
            dBias[fi] += sum;
            int wBase = fi * c * kArea;
            for (int ci = 0; ci < c; ci++) {
                int cBase = srcOff + ci * plane;
                int dBase = dxpOff + ci * plane;
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        int widx = wBase + (ci * kh + u) * kw + v;
                        float wt = weight[widx];
                        float acc = 0f;
                        for (int i = 0; i < oh; i++) {
                            int in = (s * i + u) * pw + v;
                            int o = dyBase + i * ow;
                            for (int j = 0; j < ow; j++) {
                                float g = dy[o + j];
                                acc += g * src[cBase + in + s * j];
                                if (dx != null) {
                                    work[dBase + in + s * j] += wt * g;
                                }
                            }
                        }
                        dWeight[widx] += acc;
                    }
                }
            }
        }
        if (dx == null) {
            return;
        }
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(work, dxpOff + ci * plane + (i + pad) * pw + pad, dx, dxOff + (ci * h + i) * w, w);
            }
        }
    }
}
