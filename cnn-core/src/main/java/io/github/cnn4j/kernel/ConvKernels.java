package io.github.cnn4j.kernel;

import java.util.Arrays;

/**
 * 2-D cross-correlation (the kernel is not flipped) with zero padding and stride 1, for a batch of
 * samples.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input {@code x}: {@code n} samples of {@code (C, H, W)}, one after the other</li>
 *   <li>weight: {@code (F, C, KH, KW)}; bias: {@code (F)}</li>
 *   <li>output {@code y}: {@code n} samples of {@code (F, OH, OW)} with {@code OH = H + 2P - KH + 1},
 *       {@code OW = W + 2P - KW + 1}</li>
 * </ul>
 *
 * <h2>Math</h2>
 * With {@code xp} the input zero-padded by {@code P} on all four sides:
 * <pre>
 *   y[f, i, j]   = b[f] + sum_{c, u, v} w[f, c, u, v] * xp[c, i + u, j + v]
 *   dW[f, c, u, v] += sum_{i, j} dy[f, i, j] * xp[c, i + u, j + v]
 *   db[f]          += sum_{i, j} dy[f, i, j]
 *   dx[c, y, x]     = sum_{f, u, v} w[f, c, u, v] * dy[f, y + P - u, x + P - v]   (dy is 0 outside its extent)
 * </pre>
 * The input gradient is the full correlation of {@code dy} with the kernel rotated by 180 degrees,
 * evaluated only at the unpadded input positions.
 *
 * <h2>How it is fast</h2>
 * The kernels are written for the HotSpot C2 compiler's auto-vectorizer (JDK 17), which turns a
 * counted loop into SIMD code only when every {@code float[]} access in it has the same index
 * ({@code a[i]}, {@code b[i]}, ...; an access at {@code x[i + 1]} or {@code x[off + i]} next to
 * {@code y[i]} keeps the loop scalar) and the loop body is small (up to about six multiply-adds).
 * So the convolution is computed as a matrix product over "taps":
 * <ol>
 *   <li>Rows of the output are kept in a "wide" layout whose row stride is the padded input width
 *       {@code PW}; then the input values that meet tap {@code (c, u, v)} at every output position
 *       form one contiguous run of the padded input starting at {@code u * PW + v}. The run is
 *       copied ({@code System.arraycopy}) into a tap array that starts at index 0.</li>
 *   <li>Each output channel has its own accumulator array, also starting at index 0, and receives
 *       up to {@value #GROUP} taps per pass: {@code acc[i] = fma(w5, t5[i], ... fma(w0, t0[i], acc[i]))}.
 *       Every access has index {@code i}, so C2 emits 512-bit (AVX-512) or 256-bit FMA
 *       instructions. Taps are copied {@value #GROUP} at a time and reused by all output channels.</li>
 *   <li>Small feature maps are batched: {@link #group} samples are laid side by side (channel-major,
 *       one padded plane per sample) so that a tap array spans all of them and the vector loops
 *       stay long even for an 8 x 8 output.</li>
 *   <li>The weight gradient is a reduction, which C2 (JDK 17) does not vectorize without changing
 *       the summation order; it runs as scalar fused multiply-adds over the same tap arrays, two
 *       filters and up to {@value #DOT_GROUP} taps per pass (ten independent accumulators), over the
 *       valid output columns only. Kernels with at least {@value #ROWS_MIN_TAPS} taps instead copy
 *       each position's receptive field into a row and vectorize over the taps.</li>
 *   <li>The input gradient is the same tap product, applied to {@code dy} zero-padded by
 *       {@code KH - 1}, {@code KW - 1} with the weights rotated by 180 degrees and transposed to
 *       {@code (C, F, KH, KW)}.</li>
 * </ol>
 * The {@code KW - 1} extra columns per row (and, between batched samples, the extra rows) are
 * computed on real, finite data and then discarded (forward, input gradient) or meet a zero
 * output gradient (weight gradient), so they never change a result.
 *
 * <h2>Two implementations</h2>
 * Everything above describes the scalar kernels. When {@link Vectorization#enabled()} (the JVM was
 * started with {@code --add-modules jdk.incubator.vector}), the public methods run
 * {@code VectorConvKernels} instead: the same layouts and groups, the forward pass bit-identical, the
 * weight gradient as vectorized dot products summed in eight lanes, the input gradient as a
 * vectorized scatter. The package-private overloads with a {@code boolean vector} parameter choose
 * explicitly (for tests).
 *
 * <h2>Determinism</h2>
 * Every output element sums its terms in a fixed order: the bias, then the taps in
 * {@code (c, u, v)} order (forward) or {@code (f, u, v)} order (input gradient), each with one
 * fused multiply-add. A SIMD lane and a scalar iteration compute the same thing, so results do not
 * depend on array alignment. Weight gradients are summed over the positions of a group in order
 * (over the positions of each sample in order, for the row formulation); the grouping depends only
 * on {@code n} and the shapes, never on threads.
 */
public final class ConvKernels {
    /** Taps per vectorized pass: C2 in JDK 17 vectorizes a loop of up to six of them. */
    static final int GROUP = 6;
    /** Taps per scalar weight-gradient pass, for two filters at once: ten accumulators. */
    static final int DOT_GROUP = 5;
    /** Kernels with at least this many taps ({@code C * KH * KW}) vectorize the weight gradient over the taps (measured: faster for 6 x 5 x 5 = 150 taps, slower for 90 and 72). */
    static final int ROWS_MIN_TAPS = 128;
    /** About how many positions (samples side by side) one tap array spans. */
    static final int GROUP_POSITIONS = 2048;

    private ConvKernels() {
    }

    /**
     * Per-thread scratch buffers of the kernels. They grow on demand and are reused, so a
     * steady-state call allocates nothing. Not thread-safe: one thread uses a scratch at a time.
     */
    public static final class Scratch {
        float[] padded = new float[0];
        float[] padded2 = new float[0];
        float[] rotated = new float[0];
        float[][] taps = new float[GROUP][0];
        float[][] acc = new float[0][];
        float[][] dz = new float[0][];
        float[][] rows = new float[0][];

        static float[] grow(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }

        static float[][] grow(float[][] a, int count, int n) {
            float[][] r = a.length >= count ? a : Arrays.copyOf(a, count);
            for (int i = 0; i < count; i++) {
                if (r[i] == null || r[i].length < n) {
                    r[i] = new float[n];
                }
            }
            return r;
        }
    }

    /**
     * Size of the pass that starts at tap {@code k0}: the taps are cut into {@code ceil(taps / max)}
     * passes of nearly equal size (25 taps in 6-tap passes: 5, 5, 5, 5, 5, never 6, 6, 6, 6, 1).
     */
    static int passSize(int k0, int taps, int max) {
        int passes = (taps + max - 1) / max;
        int base = taps / passes;
        int extra = taps % passes;
        // the first `extra` passes have base + 1 taps
        int firstBig = extra * (base + 1);
        return k0 < firstBig ? base + 1 : base;
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
     * How many samples the kernels lay side by side for a plane of {@code plane} floats.
     *
     * @param plane floats in one padded plane of one sample
     * @param n     samples in the call
     * @return the group size, 1 to {@code n}
     */
    static int group(int plane, int n) {
        return Math.max(1, Math.min(n, GROUP_POSITIONS / plane));
    }

    /**
     * Forward pass: {@code y = b + x ⋆ w} for {@code n} samples.
     *
     * @param x      input (not modified), sample 0 at {@code xOff}
     * @param xOff   offset of the first sample in {@code x}
     * @param n      number of samples (consecutive, {@code C * H * W} floats each)
     * @param c      input channels
     * @param h      input height
     * @param w      input width
     * @param weight weights {@code (F, C, KH, KW)} (not modified)
     * @param bias   biases {@code (F)} (not modified)
     * @param f      filters
     * @param kh     kernel height
     * @param kw     kernel width
     * @param pad    zero padding on each side
     * @param y      output (modified: {@code n * F * OH * OW} floats from {@code yOff} are written)
     * @param yOff   offset of the first sample in {@code y}
     * @param s      scratch (modified)
     */
    public static void forward(float[] x, int xOff, int n, int c, int h, int w,
                               float[] weight, float[] bias, int f, int kh, int kw, int pad,
                               float[] y, int yOff, Scratch s) {
        forward(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, y, yOff, s, Vectorization.ENABLED);
    }

    /** {@link #forward} on the Vector API kernels ({@code vector}, needs the module) or the C2-vectorized ones; both give the same bits. */
    static void forward(float[] x, int xOff, int n, int c, int h, int w,
                        float[] weight, float[] bias, int f, int kh, int kw, int pad,
                        float[] y, int yOff, Scratch s, boolean vector) {
        if (vector) {
            VectorConvKernels.forward(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, y, yOff, s);
            return;
        }
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int plane = ph * pw;
        final int span = (oh - 1) * pw + ow;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int outSize = f * oh * ow;
        final int g = group(plane, n);
        for (int s0 = 0; s0 < n; s0 += g) {
            int gn = Math.min(g, n - s0);
            int len = (gn - 1) * plane + span;
            s.padded = Scratch.grow(s.padded, c * gn * plane);
            s.acc = Scratch.grow(s.acc, f, len);
            s.taps = Scratch.grow(s.taps, GROUP, len);
            padGroup(x, xOff + s0 * inSize, gn, c, h, w, pad, s.padded);
            for (int fi = 0; fi < f; fi++) {
                Arrays.fill(s.acc[fi], 0, len, bias[fi]);
            }
            for (int k0 = 0, cnt; k0 < taps; k0 += cnt) {
                cnt = passSize(k0, taps, GROUP);
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
            unwiden(s.acc, gn, f, oh, ow, pw, plane, y, yOff + s0 * outSize);
        }
    }

    /**
     * Backward pass for {@code n} samples: accumulates weight and bias gradients and writes the
     * input gradient.
     *
     * @param x       the forward input (not modified), sample 0 at {@code xOff}
     * @param xOff    offset of the first sample in {@code x}
     * @param n       number of samples
     * @param c       input channels
     * @param h       input height
     * @param w       input width
     * @param weight  weights {@code (F, C, KH, KW)} (not modified)
     * @param f       filters
     * @param kh      kernel height
     * @param kw      kernel width
     * @param pad     zero padding on each side
     * @param dy      gradient of the loss w.r.t. the output, {@code n} samples of {@code (F, OH, OW)} (not modified)
     * @param dyOff   offset of the first sample in {@code dy}
     * @param dWeight weight gradient (modified: accumulated into, summed over the samples)
     * @param dBias   bias gradient (modified: accumulated into, the SUM of {@code dy} per filter)
     * @param dx      input gradient (modified: {@code n * C * H * W} floats written), or {@code null} to skip
     * @param dxOff   offset of the first sample in {@code dx}
     * @param s       scratch (modified)
     */
    public static void backward(float[] x, int xOff, int n, int c, int h, int w,
                                float[] weight, int f, int kh, int kw, int pad,
                                float[] dy, int dyOff,
                                float[] dWeight, float[] dBias, float[] dx, int dxOff, Scratch s) {
        backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dWeight, dBias, dx, dxOff, s, Vectorization.ENABLED);
    }

    /** {@link #backward} on the Vector API kernels ({@code vector}, needs the module) or the scalar ones. */
    static void backward(float[] x, int xOff, int n, int c, int h, int w,
                         float[] weight, int f, int kh, int kw, int pad,
                         float[] dy, int dyOff,
                         float[] dWeight, float[] dBias, float[] dx, int dxOff, Scratch s, boolean vector) {
        if (vector) {
            VectorConvKernels.backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dWeight, dBias, dx, dxOff, s);
            return;
        }
        weightGradient(x, xOff, n, c, h, w, f, kh, kw, pad, dy, dyOff, dWeight, dBias, s, false);
        if (dx != null) {
            inputGradient(n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dx, dxOff, s, false);
        }
    }

    /**
     * Weight and bias gradients for {@code n} samples (the first half of {@link #backward}).
     *
     * @param x       the forward input (not modified), sample 0 at {@code xOff}
     * @param xOff    offset of the first sample in {@code x}
     * @param n       number of samples
     * @param c       input channels
     * @param h       input height
     * @param w       input width
     * @param f       filters
     * @param kh      kernel height
     * @param kw      kernel width
     * @param pad     zero padding on each side
     * @param dy      gradient of the loss w.r.t. the output (not modified)
     * @param dyOff   offset of the first sample in {@code dy}
     * @param dWeight weight gradient (modified: accumulated into, summed over the samples)
     * @param dBias   bias gradient (modified: accumulated into)
     * @param s       scratch (modified)
     */
    public static void weightGradient(float[] x, int xOff, int n, int c, int h, int w, int f, int kh, int kw, int pad,
                                      float[] dy, int dyOff, float[] dWeight, float[] dBias, Scratch s) {
        weightGradient(x, xOff, n, c, h, w, f, kh, kw, pad, dy, dyOff, dWeight, dBias, s, Vectorization.ENABLED);
    }

    static void weightGradient(float[] x, int xOff, int n, int c, int h, int w, int f, int kh, int kw, int pad,
                               float[] dy, int dyOff, float[] dWeight, float[] dBias, Scratch s, boolean vector) {
        if (vector) {
            VectorConvKernels.backward(x, xOff, n, c, h, w, null, f, kh, kw, pad, dy, dyOff, dWeight, dBias, null, 0, s);
            return;
        }
        final int ph = h + 2 * pad;
        final int pw = w + 2 * pad;
        final int oh = ph - kh + 1;
        final int ow = pw - kw + 1;
        final int plane = ph * pw;
        final int span = (oh - 1) * pw + ow;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int outSize = f * oh * ow;
        final int g = group(plane, n);
        if (taps >= ROWS_MIN_TAPS) {
            s.acc = Scratch.grow(s.acc, f, taps);
            for (int fi = 0; fi < f; fi++) {
                Arrays.fill(s.acc[fi], 0, taps, 0f);
            }
        }
        for (int s0 = 0; s0 < n; s0 += g) {
            int gn = Math.min(g, n - s0);
            int len = (gn - 1) * plane + span;
            s.padded = Scratch.grow(s.padded, c * gn * plane);
            padGroup(x, xOff + s0 * inSize, gn, c, h, w, pad, s.padded);
            biasGradient(dy, dyOff + s0 * outSize, gn, f, oh * ow, dBias);
            if (taps >= ROWS_MIN_TAPS) {
                weightGradientByRows(gn, s0, c, f, kh, kw, pw, oh, ow, plane, dy, dyOff, outSize, s);
                continue;
            }
            wideGradient(dy, dyOff + s0 * outSize, gn, f, oh, ow, pw, plane, len, s);
            s.taps = Scratch.grow(s.taps, GROUP, len);
            // Weight gradient: dW[f, k] += sum_i dz_f[i] * tap_k[i].
            for (int k0 = 0, cnt; k0 < taps; k0 += cnt) {
                cnt = passSize(k0, taps, DOT_GROUP);
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
                                             float[] dy, int dyOff, int outSize, Scratch s) {
        final int taps = c * kh * kw;
        final int positions = oh * ow;
        s.rows = Scratch.grow(s.rows, positions, taps);
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
                cnt = passSize(p0, positions, GROUP);
                for (int fi = 0; fi < f; fi++) {
                    madd(s.acc[fi], s.rows, p0, cnt, dy, from + fi * positions + p0, taps);
                }
            }
        }
    }

    /**
     * Input gradient for {@code n} samples (the second half of {@link #backward}): a tap product over
     * {@code dy} padded by {@code KH - 1}, {@code KW - 1}, with the weights rotated by 180 degrees and
     * transposed to {@code (C, F, KH, KW)}.
     *
     * @param n      number of samples
     * @param c      input channels
     * @param h      input height
     * @param w      input width
     * @param weight weights {@code (F, C, KH, KW)} (not modified)
     * @param f      filters
     * @param kh     kernel height
     * @param kw     kernel width
     * @param pad    zero padding on each side
     * @param dy     gradient of the loss w.r.t. the output (not modified)
     * @param dyOff  offset of the first sample in {@code dy}
     * @param dx     input gradient (modified: {@code n * C * H * W} floats written)
     * @param dxOff  offset of the first sample in {@code dx}
     * @param s      scratch (modified)
     */
    public static void inputGradient(int n, int c, int h, int w, float[] weight, int f, int kh, int kw, int pad,
                                     float[] dy, int dyOff, float[] dx, int dxOff, Scratch s) {
        inputGradient(n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dx, dxOff, s, Vectorization.ENABLED);
    }

    static void inputGradient(int n, int c, int h, int w, float[] weight, int f, int kh, int kw, int pad,
                              float[] dy, int dyOff, float[] dx, int dxOff, Scratch s, boolean vector) {
        if (vector) {
            VectorConvKernels.backward(null, 0, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, null, null, dx, dxOff, s);
            return;
        }
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
        s.rotated = Scratch.grow(s.rotated, c * taps);
        for (int ci = 0; ci < c; ci++) {
            for (int fi = 0; fi < f; fi++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        s.rotated[ci * taps + fi * area + u * kw + v] = weight[((fi * c + ci) * kh + (kh - 1 - u)) * kw + (kw - 1 - v)];
                    }
                }
            }
        }
        final int g = group(plane, n);
        for (int s0 = 0; s0 < n; s0 += g) {
            int gn = Math.min(g, n - s0);
            int len = (gn - 1) * plane + span;
            s.padded2 = Scratch.grow(s.padded2, f * gn * plane);
            s.acc = Scratch.grow(s.acc, c, len);
            s.taps = Scratch.grow(s.taps, GROUP, len);
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
                cnt = passSize(k0, taps, GROUP);
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

    /**
     * Copies {@code gn} samples of {@code dy (F, OH, OW)} into {@code s.dz[f]} in the wide layout of
     * the padded input ({@code dz_f[m * plane + i * pw + j]}); the extra columns and rows are zero.
     */
    static void wideGradient(float[] dy, int from, int gn, int f, int oh, int ow, int pw, int plane, int len, Scratch s) {
        s.dz = Scratch.grow(s.dz, f, len);
        for (int fi = 0; fi < f; fi++) {
            float[] z = s.dz[fi];
            Arrays.fill(z, 0, len, 0f);
            for (int m = 0; m < gn; m++) {
                int o = from + (m * f + fi) * oh * ow;
                for (int i = 0; i < oh; i++) {
                    System.arraycopy(dy, o + i * ow, z, m * plane + i * pw, ow);
                }
            }
        }
    }

    /**
     * Copies {@code gn} samples of {@code F} output channels from the wide layout
     * ({@code acc[f][m * plane + i * pw + j]}) to {@code y} as {@code (F, OH, OW)} per sample,
     * sample 0 at {@code yOff}: the inverse of {@link #wideGradient}.
     */
    static void unwiden(float[][] acc, int gn, int f, int oh, int ow, int pw, int plane, float[] y, int yOff) {
        for (int m = 0; m < gn; m++) {
            int yBase = yOff + m * f * oh * ow;
            for (int fi = 0; fi < f; fi++) {
                float[] a = acc[fi];
                for (int i = 0; i < oh; i++) {
                    System.arraycopy(a, m * plane + i * pw, y, yBase + (fi * oh + i) * ow, ow);
                }
            }
        }
    }

    /** Lays {@code n} samples out channel-major and zero-padded: {@code dst[c][m][PH][PW]}. */
    static void padGroup(float[] x, int xOff, int n, int c, int h, int w, int pad, float[] dst) {
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        int plane = ph * pw;
        int inSize = c * h * w;
        if (pad == 0) {
            for (int ci = 0; ci < c; ci++) {
                for (int m = 0; m < n; m++) {
                    System.arraycopy(x, xOff + m * inSize + ci * plane, dst, (ci * n + m) * plane, plane);
                }
            }
            return;
        }
        Arrays.fill(dst, 0, c * n * plane, 0f);
        for (int ci = 0; ci < c; ci++) {
            for (int m = 0; m < n; m++) {
                int to = (ci * n + m) * plane + pad * pw + pad;
                int from = xOff + m * inSize + ci * h * w;
                for (int i = 0; i < h; i++) {
                    System.arraycopy(x, from + i * w, dst, to + i * pw, w);
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
