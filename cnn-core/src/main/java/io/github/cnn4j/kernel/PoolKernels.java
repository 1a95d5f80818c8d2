package io.github.cnn4j.kernel;

import java.util.Arrays;

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
 * <p>When {@link Vectorization#enabled()}, the 2 x 2 case runs on the Vector API
 * ({@code VectorPoolKernels}) with outputs and switches identical to the scalar code's.
 */
public final class PoolKernels {
    private PoolKernels() {
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
        if (s == 2) {
            if (vector) {
                VectorPoolKernels.maxForward2(x, xOff, c, h, w, y, yOff, switches, sOff);
            } else {
                maxForward2(x, xOff, c, h, w, y, yOff, switches, sOff);
            }
            return;
        }
        int oh = h / s;
        int ow = w / s;
        int o = 0;
        for (int ci = 0; ci < c; ci++) {
            int plane = ci * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    window(x, xOff, w, s, plane + (i * s) * w + j * s, y, yOff + o, switches, sOff + o);
                }
            }
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
        max2Values(x, xOff, c, h, w, y, yOff, Vectorization.ENABLED);
    }

    /** {@link #max2Values(float[], int, int, int, int, float[], int)} on the Vector API kernel ({@code vector}) or the scalar one; the same bits. */
    static void max2Values(float[] x, int xOff, int c, int h, int w, float[] y, int yOff, boolean vector) {
        if (vector) {
            VectorPoolKernels.max2Values(x, xOff, c, h, w, y, yOff);
            return;
        }
        int oh = h / 2;
        int ow = w / 2;
        int o = yOff;
        for (int ci = 0; ci < c; ci++) {
            int plane = xOff + ci * h * w;
            for (int i = 0; i < oh; i++) {
                int k = plane + 2 * i * w;
                for (int j = 0; j < ow; j++, o++, k += 2) {
                    y[o] = Math.max(Math.max(x[k], x[k + 1]), Math.max(x[k + w], x[k + w + 1]));
                }
            }
        }
    }

    /** One window of size {@code s} whose top-left input is {@code start}: the reference rule, NaN first. */
    private static void window(float[] x, int xOff, int w, int s, int start, float[] y, int yo, int[] switches, int so) {
        int best = start;
        float bv = x[xOff + best];
        for (int u = 0; u < s; u++) {
            int row = start + u * w;
            for (int v = 0; v < s; v++) {
                float val = x[xOff + row + v];
                // NaN wins (the first one), so a poisoned value is never silently dropped
                if (val > bv || (val != val && bv == bv)) {
                    bv = val;
                    best = row + v;
                }
            }
        }
        y[yo] = bv;
        switches[so] = best;
    }

    /**
     * The 2 x 2 case, without data-dependent branches: a pooling window's winner is as unpredictable
     * as a coin, and the branches of the general loop cost about 10 ns per window (C2 does not turn
     * them into conditional moves). Here the four values become integers that order like them
     * ({@link #key}), each comparison {@code v > best} becomes a mask from the sign of a 64-bit
     * difference, and the winner is selected with bit masks. A window whose sum is NaN (it holds a NaN, or
     * infinities of both signs) takes the general path, so the NaN-first rule is unchanged.
     */
    private static void maxForward2(float[] x, int xOff, int c, int h, int w, float[] y, int yOff, int[] switches, int sOff) {
        int oh = h / 2;
        int ow = w / 2;
        int o = 0;
        for (int ci = 0; ci < c; ci++) {
            int plane = ci * h * w;
            for (int i = 0; i < oh; i++, o += ow) {
                maxForward2Scalar(x, xOff, w, plane + 2 * i * w, 0, ow, y, yOff + o, switches, sOff + o);
            }
        }
    }

    /**
     * Windows {@code j0 <= j < j1} of the output row whose upper input row starts at {@code r0}
     * (relative to {@code xOff}); window {@code j} is written to {@code y[yo + j - j0]} and
     * {@code switches[so + j - j0]}.
     */
    static void maxForward2Scalar(float[] x, int xOff, int w, int r0, int j0, int j1, float[] y, int yo, int[] switches, int so) {
        for (int j = j0, o = 0; j < j1; j++, o++) {
            int k = r0 + 2 * j;
            float a = x[xOff + k];
            float b = x[xOff + k + 1];
            float cc = x[xOff + k + w];
            float d = x[xOff + k + w + 1];
            float sum = (a + b) + (cc + d);
            if (sum != sum) {
                window(x, xOff, w, 2, k, y, yo + o, switches, so + o);
                continue;
            }
            // order-preserving integer keys: a later value wins only if strictly greater
            long ka = key(a);
            long kb = key(b);
            long kc = key(cc);
            long kd = key(d);
            int bi = k;
            long m = (ka - kb) >> 63;             // -1 when b > a
            long best = (ka & ~m) | (kb & m);
            bi = (bi & ~(int) m) | ((k + 1) & (int) m);
            m = (best - kc) >> 63;
            best = (best & ~m) | (kc & m);
            bi = (bi & ~(int) m) | ((k + w) & (int) m);
            m = (best - kd) >> 63;
            bi = (bi & ~(int) m) | ((k + w + 1) & (int) m);
            y[yo + o] = x[xOff + bi];
            switches[so + o] = bi;
        }
    }

    /**
     * An integer that orders like the float (for values that are not NaN): the raw bits, with the
     * magnitude bits flipped for negative numbers; {@code + 0f} first turns {@code -0.0} into
     * {@code +0.0}, which compares equal to it.
     */
    static long key(float v) {
        int bits = Float.floatToRawIntBits(v + 0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /**
     * Backward max pooling: routes each output gradient to the input that won its window.
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
        Arrays.fill(dx, dxOff, dxOff + inSize, 0f);
        for (int o = 0; o < n; o++) {
            dx[dxOff + switches[sOff + o]] += dy[dyOff + o];
        }
    }
}
