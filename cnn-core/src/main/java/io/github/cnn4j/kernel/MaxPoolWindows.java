package io.github.cnn4j.kernel;

/**
 * The scalar window rules of max pooling, shared by both implementations of {@link MaxPoolKernels}
 * (the scalar kernels run them everywhere, the Vector API kernels on windows they leave to scalar
 * code: planes of fewer than eight windows, chunks holding a NaN). One place defines the winner:
 * the first maximum in row-major order, a later value winning only if strictly greater (so
 * {@code -0.0} and {@code +0.0} tie), and the first NaN of a window winning outright.
 */
final class MaxPoolWindows {
    private MaxPoolWindows() {
    }

    /**
     * One window of size {@code s} whose top-left input is {@code start} (relative to {@code xOff}):
     * the reference rule, NaN first.
     */
    static void window(float[] x, int xOff, int w, int s, int start, float[] y, int yo, int[] switches, int so) {
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
     * 2 x 2 windows {@code j0 <= j < j1} of the output row whose upper input row starts at
     * {@code r0} (relative to {@code xOff}); window {@code j} is written to {@code y[yo + j - j0]}
     * and {@code switches[so + j - j0]}.
     *
     * <p>Without data-dependent branches: a pooling window's winner is as unpredictable as a coin,
     * and the branches of the general loop cost about 10 ns per window (C2 does not turn them into
     * conditional moves). The four values become integers that order like them ({@link #key}), each
     * comparison {@code v > best} becomes a mask from the sign of a 64-bit difference, and the winner
     * is selected with bit masks. A window whose sum is NaN (it holds a NaN, or infinities of both
     * signs) takes {@link #window}, so the NaN-first rule is unchanged.
     */
    static void row2(float[] x, int xOff, int w, int r0, int j0, int j1, float[] y, int yo, int[] switches, int so) {
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

    /** The inference value of the 2 x 2 window whose top-left input is {@code k}: a {@link Math#max} tree. */
    static float max2(float[] x, int k, int w) {
        return Math.max(Math.max(x[k], x[k + 1]), Math.max(x[k + w], x[k + w + 1]));
    }
}
