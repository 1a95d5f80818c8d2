package io.github.cnn4j.kernel;

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
 *       up to six taps per pass: {@code acc[i] = fma(w5, t5[i], ... fma(w0, t0[i], acc[i]))}.
 *       Every access has index {@code i}, so C2 emits 512-bit (AVX-512) or 256-bit FMA
 *       instructions. Taps are copied six at a time and reused by all output channels.</li>
 *   <li>Small feature maps are batched: several samples are laid side by side (channel-major,
 *       one padded plane per sample) so that a tap array spans all of them and the vector loops
 *       stay long even for an 8 x 8 output.</li>
 *   <li>The weight gradient is a reduction, which C2 (JDK 17) does not vectorize without changing
 *       the summation order; it runs as scalar fused multiply-adds over the same tap arrays, two
 *       filters and up to five taps per pass (ten independent accumulators), over the
 *       valid output columns only. Kernels with at least 128 taps instead copy
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
 * Everything above describes the scalar kernels ({@code ScalarConvKernels}; the layouts are
 * {@code ConvLayout}'s). When {@link Vectorization#enabled()} (the JVM was
 * started with {@code --add-modules jdk.incubator.vector}), the public methods run
 * {@code VectorConvKernels} instead: the forward pass bit-identical (for outputs whose rows are whole
 * vectors, computed straight from the input rows in registers; otherwise in the wide layout), the
 * weight gradient as vectorized dot products summed in eight lanes, the input gradient as a
 * vectorized scatter or product. Which vector variant runs (the wide layout, whole-vector rows
 * {@code VectorRowConvKernels}, packed columns {@code VectorPackedConvKernels}) is decided in
 * {@code VectorConvKernels} from the shapes only. The package-private overloads with a
 * {@code boolean vector} parameter choose the kernel set explicitly (for tests).
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
                               float[] y, int yOff, ConvScratch s) {
        forward(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, y, yOff, s, Vectorization.ENABLED);
    }

    /** {@link #forward} on the Vector API kernels ({@code vector}, needs the module) or the scalar ones; both give the same bits. */
    static void forward(float[] x, int xOff, int n, int c, int h, int w,
                        float[] weight, float[] bias, int f, int kh, int kw, int pad,
                        float[] y, int yOff, ConvScratch s, boolean vector) {
        if (vector) {
            VectorConvKernels.forward(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, y, yOff, s);
        } else {
            ScalarConvKernels.forward(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, y, yOff, s);
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
                                float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch s) {
        backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dWeight, dBias, dx, dxOff, s, Vectorization.ENABLED);
    }

    /** {@link #backward} on the Vector API kernels ({@code vector}, needs the module) or the scalar ones. */
    static void backward(float[] x, int xOff, int n, int c, int h, int w,
                         float[] weight, int f, int kh, int kw, int pad,
                         float[] dy, int dyOff,
                         float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch s, boolean vector) {
        if (vector) {
            VectorConvKernels.backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dWeight, dBias, dx, dxOff, s);
        } else {
            ScalarConvKernels.backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dWeight, dBias, dx, dxOff, s);
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
                                      float[] dy, int dyOff, float[] dWeight, float[] dBias, ConvScratch s) {
        weightGradient(x, xOff, n, c, h, w, f, kh, kw, pad, dy, dyOff, dWeight, dBias, s, Vectorization.ENABLED);
    }

    /** {@link #weightGradient} on the Vector API kernels ({@code vector}) or the scalar ones. */
    static void weightGradient(float[] x, int xOff, int n, int c, int h, int w, int f, int kh, int kw, int pad,
                               float[] dy, int dyOff, float[] dWeight, float[] dBias, ConvScratch s, boolean vector) {
        if (vector) {
            VectorConvKernels.backward(x, xOff, n, c, h, w, null, f, kh, kw, pad, dy, dyOff, dWeight, dBias, null, 0, s);
        } else {
            ScalarConvKernels.weightGradient(x, xOff, n, c, h, w, f, kh, kw, pad, dy, dyOff, dWeight, dBias, s);
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
                                     float[] dy, int dyOff, float[] dx, int dxOff, ConvScratch s) {
        inputGradient(n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dx, dxOff, s, Vectorization.ENABLED);
    }

    /** {@link #inputGradient} on the Vector API kernels ({@code vector}) or the scalar ones. */
    static void inputGradient(int n, int c, int h, int w, float[] weight, int f, int kh, int kw, int pad,
                              float[] dy, int dyOff, float[] dx, int dxOff, ConvScratch s, boolean vector) {
        if (vector) {
            VectorConvKernels.backward(null, 0, n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, null, null, dx, dxOff, s);
        } else {
            ScalarConvKernels.inputGradient(n, c, h, w, weight, f, kh, kw, pad, dy, dyOff, dx, dxOff, s);
        }
    }
}
