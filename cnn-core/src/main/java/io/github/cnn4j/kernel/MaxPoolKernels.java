package io.github.cnn4j.kernel;

/**
 * Max pooling with a square window and stride equal to the window, for one sample.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input {@code x}: {@code (C, H, W)}</li>
 *   <li>output {@code y}: {@code (C, OH, OW)} with {@code OH = floor(H / S)}, {@code OW = floor(W / S)};
 *       rows and columns that do not fill a window are dropped</li>
 *   <li>switches: {@code (C, OH, OW)} ints, the index within the sample of each chosen maximum</li>
 * </ul>
 *
 * <h2>Math</h2>
 * <pre>
 *   y[c, i, j] = max_{u, v &lt; S} x[c, i*S + u, j*S + v]      (ties: the first in row-major order)
 *   dx[c, y, x] = dy[c, i, j] if (y, x) is the switch of (c, i, j), else 0
 * </pre>
 * A NaN in a window propagates: the first NaN is taken as that window's maximum.
 *
 * <p>Two implementations with identical outputs and switches: {@code ScalarMaxPoolKernels} (the 2 x 2
 * case branch-free, any other size by the general window loop) and, when {@link Vectorization#enabled()},
 * {@code VectorMaxPoolKernels} for 2 x 2 and 3 x 3 windows on planes of at least eight windows
 * (eight windows per instruction, gathered through a table of window offsets, so short rows
 * vectorize too). This class only routes each call; the window rule itself is in
 * {@code MaxPoolWindows}, shared by both.
 */
public final class MaxPoolKernels {
    private MaxPoolKernels() {
    }

    /**
     * Forward max pooling.
     *
     * @param x        input (not modified)
     * @param xOff     offset of the sample in {@code x}
     * @param c        channels
     * @param h        height
     * @param w        width
     * @param s        window size and stride
     * @param y        output (modified: {@code C * OH * OW} floats written)
     * @param yOff     offset of the sample in {@code y}
     * @param switches argmax indices relative to {@code xOff} (modified: {@code C * OH * OW} written)
     * @param sOff     offset of the sample in {@code switches}
     */
    public static void maxForward(float[] x, int xOff, int c, int h, int w, int s,
                                  float[] y, int yOff, int[] switches, int sOff) {
        maxForward(x, xOff, c, h, w, s, y, yOff, switches, sOff, Vectorization.ENABLED);
    }

    /** {@link #maxForward(float[], int, int, int, int, int, float[], int, int[], int)} on the Vector API kernel ({@code vector}, needs the module) or the scalar one; both give the same results. */
    static void maxForward(float[] x, int xOff, int c, int h, int w, int s,
                           float[] y, int yOff, int[] switches, int sOff, boolean vector) {
        if (vector && VectorMaxPoolKernels.handles(h, w, s)) {
            VectorMaxPoolKernels.maxForward(x, xOff, c, h, w, s, y, yOff, switches, sOff);
        } else {
            ScalarMaxPoolKernels.maxForward(x, xOff, c, h, w, s, y, yOff, switches, sOff);
        }
    }

    /**
     * Forward 2 x 2 max pooling without switches, for inference: {@code y = max(max(a, b), max(c, d))}
     * with {@link Math#max}, which has no data-dependent branch (~3 ns per window instead of ~7 for
     * the value-and-winner path). Same values as
     * {@link #maxForward(float[], int, int, int, int, int, float[], int, int[], int)} except that a
     * window whose maximum is a zero of both signs gives {@code +0.0} even when {@code -0.0} comes
     * first, and a NaN window gives some NaN (not necessarily the first one's bits).
     *
     * @param x    input (not modified)
     * @param xOff offset of the sample in {@code x}
     * @param c    channels
     * @param h    height
     * @param w    width
     * @param y    output (modified: {@code C * (H / 2) * (W / 2)} floats written)
     * @param yOff offset of the sample in {@code y}
     */
    public static void max2Values(float[] x, int xOff, int c, int h, int w, float[] y, int yOff) {
        // Always the scalar max tree: on JDK 17 the vector version's gathers fall back to Java code that
        // boxes its vectors (13.8 KB allocated per MNIST image) and ran slower (docs/performance.md).
        max2Values(x, xOff, c, h, w, y, yOff, false);
    }

    /** {@link #max2Values(float[], int, int, int, int, float[], int)} on the Vector API kernel ({@code vector}) or the scalar one; the same bits. */
    static void max2Values(float[] x, int xOff, int c, int h, int w, float[] y, int yOff, boolean vector) {
        if (vector) {
            VectorMaxPoolKernels.max2Values(x, xOff, c, h, w, y, yOff);
        } else {
            ScalarMaxPoolKernels.max2Values(x, xOff, c, h, w, y, yOff);
        }
    }

    /**
     * Backward max pooling: routes each output gradient to the input that won its window (one
     * implementation: a scatter through the switches).
     *
     * @param dy       output gradient (not modified)
     * @param dyOff    offset of the sample in {@code dy}
     * @param switches indices from {@link #maxForward} (not modified)
     * @param sOff     offset of the sample in {@code switches}
     * @param n        outputs per sample, {@code C * OH * OW}
     * @param dx       input gradient (modified: {@code inSize} floats written)
     * @param dxOff    offset of the sample in {@code dx}
     * @param inSize   inputs per sample, {@code C * H * W}
     */
    public static void maxBackward(float[] dy, int dyOff, int[] switches, int sOff, int n,
                                   float[] dx, int dxOff, int inSize) {
        ScalarMaxPoolKernels.maxBackward(dy, dyOff, switches, sOff, n, dx, dxOff, inSize);
    }
}
