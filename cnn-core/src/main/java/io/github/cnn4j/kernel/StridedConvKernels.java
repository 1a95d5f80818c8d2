package io.github.cnn4j.kernel;

/**
 * 2-D cross-correlation with zero padding and a stride {@code S >= 1}, for a batch of samples.
 * {@code Conv} uses it when its stride is greater than 1 ({@link ConvKernels} is the stride-1 path).
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input {@code x}: {@code n} samples of {@code (C, H, W)}</li>
 *   <li>weight: {@code (F, C, KH, KW)}; bias: {@code (F)}</li>
 *   <li>output {@code y}: {@code n} samples of {@code (F, OH, OW)} with {@code OH = floor((H + 2P - KH) / S) + 1},
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
 *   dxp[c, S*i + u, S*j + v] += sum_f w[f, c, u, v] * dy[f, i, j]   (summed over i, j, u, v)
 *   dx[c, y, x]     = dxp[c, y + P, x + P]
 * </pre>
 *
 * <h2>How</h2>
 * Several samples side by side form a group of about 2,048 output positions, and the convolution
 * is a tap product over the group's positions. Two implementations, chosen by
 * {@link Vectorization#enabled()} (the package-private overloads with a {@code boolean vector}
 * parameter choose explicitly, for tests):
 * <ul>
 *   <li>Scalar ({@code ScalarStridedConvKernels}): the input values that meet tap {@code (c, u, v)}
 *       at every output position are gathered (a strided copy, zeros for the padding) into a tap
 *       array that starts at index 0, and every filter accumulates
 *       {@code acc_f[p] = fma(w[f, k], tap_k[p], acc_f[p])} over up to six taps per pass: loops with
 *       one index, which HotSpot's C2 vectorizes ({@code ScalarConvKernels.madd}). The weight
 *       gradient is the scalar dot products of {@code dy_f} with the same taps (ten accumulators);
 *       the input gradient computes {@code t_k[p] = sum_f w[f, k] dy_f[p]} the same vectorized way
 *       and scatters it to the strided positions.</li>
 *   <li>Vector API ({@code VectorStridedConvKernels}, 256-bit): the forward pass gathers the
 *       {@code taps x 16} input values of a block of 16 positions once and keeps four filters by two
 *       vectors of positions in registers over all taps, the scalar kernel's operations in its
 *       order; the weight gradient is vectorized dot products, four filters by two gathered tap rows
 *       per pass; the input gradient is read rather than scattered: per residue class of the padded
 *       input modulo {@code S}, a stride-1 tap product over {@code dy} (four channels by two vectors
 *       in registers), each result written once to {@code dx}.</li>
 * </ul>
 *
 * <h2>Order (determinism)</h2>
 * An output sums the bias, then the taps in {@code (c, u, v)} order, one fused multiply-add each,
 * in both implementations: their forward passes are bit-identical, and for {@code S = 1} equal
 * {@link ConvKernels}' forward pass. The scalar kernel sums {@code dW} and {@code db} over a
 * group's positions in order, and an input-gradient element adds its taps' terms in tap order, each
 * term the filters' fused multiply-adds in filter order. The vector kernel sums {@code dW} and
 * {@code db} in eight lanes added in a fixed order, and an input-gradient element over its taps
 * and filters in a fixed order (see {@code VectorStridedConvKernels}), so its gradients agree with
 * the scalar ones to float precision. In both, the grouping and the orders depend only on {@code n}
 * and the shapes, never on threads.
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
    public static void forward(float[] x, int xOff, int n, int c, int h, int w,
                               float[] weight, float[] bias, int f, int kh, int kw, int pad, int s,
                               float[] y, int yOff, ConvScratch sc) {
        forward(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, s, y, yOff, sc, Vectorization.ENABLED);
    }

    /** {@link #forward} on the Vector API kernel ({@code vector}, needs the module) or the scalar one; both give the same bits. */
    static void forward(float[] x, int xOff, int n, int c, int h, int w,
                        float[] weight, float[] bias, int f, int kh, int kw, int pad, int s,
                        float[] y, int yOff, ConvScratch sc, boolean vector) {
        if (vector) {
            VectorStridedConvKernels.forward(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, s, y, yOff, sc);
        } else {
            ScalarStridedConvKernels.forward(x, xOff, n, c, h, w, weight, bias, f, kh, kw, pad, s, y, yOff, sc);
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
    public static void backward(float[] x, int xOff, int n, int c, int h, int w,
                                float[] weight, int f, int kh, int kw, int pad, int s,
                                float[] dy, int dyOff,
                                float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch sc) {
        backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, s, dy, dyOff, dWeight, dBias, dx, dxOff, sc, Vectorization.ENABLED);
    }

    /** {@link #backward} on the Vector API kernel ({@code vector}, needs the module) or the scalar one. */
    static void backward(float[] x, int xOff, int n, int c, int h, int w,
                         float[] weight, int f, int kh, int kw, int pad, int s,
                         float[] dy, int dyOff,
                         float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch sc, boolean vector) {
        if (vector) {
            VectorStridedConvKernels.backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, s, dy, dyOff, dWeight, dBias, dx, dxOff, sc);
        } else {
            ScalarStridedConvKernels.backward(x, xOff, n, c, h, w, weight, f, kh, kw, pad, s, dy, dyOff, dWeight, dBias, dx, dxOff, sc);
        }
    }

    /**
     * An upper bound of the scratch ({@link ConvScratch}) that {@link #forward} and {@link #backward}
     * grow to for batches of up to {@code capacity} samples, in either implementation: per group of
     * samples the filters' accumulators, the tap rows or panel, the padded input and the offsets, and
     * for training the transposed weights, the output gradients (also in the vector kernel's class
     * layout) and the padded input gradient.
     *
     * @return the number of floats (ints counted as floats)
     */
    public static long scratchValues(int c, int h, int w, int f, int kh, int kw, int pad, int s, int capacity, boolean training) {
        long oh = outputSize(h, kh, pad, s);
        long ow = outputSize(w, kw, pad, s);
        long positions = oh * ow;
        long g = Math.max(1, Math.min(capacity, ConvLayout.GROUP_POSITIONS / Math.max(1, positions)));
        long block = 16; // the vector kernel's block of positions (not read from that class: it needs the module)
        long len = g * positions + block;
        long taps = (long) c * kh * kw;
        long padded = g * c * (long) (h + 2 * pad) * (w + 2 * pad);
        long forward = ((long) f + ScalarConvKernels.GROUP + 1) * len + taps * (block + 1) + padded;
        if (!training) {
            return forward;
        }
        long classPlane = (oh + (kh - 1) / s) * (ow + (kw - 1) / s);
        long classLen = (g + 1) * classPlane + block;
        return forward + 2 * taps * f + (long) f * len + padded + (f + 1) * classLen + 4 * block;
    }
}
