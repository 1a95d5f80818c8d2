package io.github.cnn4j.kernel;

import java.util.Arrays;

/**
 * The memory layouts shared by the convolution kernels (both implementations and the strided
 * kernels): zero padding, samples laid side by side in a group, the "wide" output layout whose row
 * stride is the padded input width, and the cutting of taps into passes. Plain copies, no
 * arithmetic: they give the same result whichever kernels call them.
 */
final class ConvLayout {
    /** About how many positions (samples side by side) one tap array spans. */
    static final int GROUP_POSITIONS = 2048;

    private ConvLayout() {
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
     * How many samples the kernels lay side by side for a plane of {@code plane} floats (the strided
     * kernels: {@code plane} output positions).
     *
     * @param plane floats in one padded plane of one sample (the strided kernels: output positions)
     * @param n     samples in the call
     * @return the group size, 1 to {@code n}
     */
    static int group(int plane, int n) {
        return Math.max(1, Math.min(n, GROUP_POSITIONS / plane));
    }

    /**
     * Copies {@code gn} samples of {@code dy (F, OH, OW)} into {@code s.dz[f]} in the wide layout of
     * the padded input ({@code dz_f[m * plane + i * pw + j]}); the extra columns and rows are zero.
     */
    static void wideGradient(float[] dy, int from, int gn, int f, int oh, int ow, int pw, int plane, int len, ConvScratch s) {
        s.dz = ConvScratch.grow(s.dz, f, len);
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
    static void pad(float[] x, int xOff, int c, int h, int w, int pad, float[] dst, int dOff) {
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        Arrays.fill(dst, dOff, dOff + c * ph * pw, 0f);
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, xOff + (ci * h + i) * w, dst, dOff + ci * ph * pw + (i + pad) * pw + pad, w);
            }
        }
    }

    /**
     * Tap {@code k = (c, u, v)} of {@code gn} samples: {@code t[m * OH * OW + i * OW + j] = xp[m, c, S*i + u, S*j + v]},
     * zero where that falls in the padding.
     */
    static void gatherTap(float[] x, int xOff, int gn, int c, int h, int w, int kh, int kw, int pad, int s, int oh, int ow,
                          int k, float[] t) {
        final int area = kh * kw;
        final int ci = k / area;
        final int u = (k % area) / kw;
        final int v = k % kw;
        // columns j with 0 <= S*j + v - P < W
        int j0 = Math.max(0, ceilDiv(pad - v, s));
        int j1 = Math.min(ow, ceilDiv(w + pad - v, s));
        for (int m = 0; m < gn; m++) {
            int plane = xOff + (m * c + ci) * h * w;
            for (int i = 0; i < oh; i++) {
                int p = (m * oh + i) * ow;
                int yy = s * i + u - pad;
                if (yy < 0 || yy >= h || j0 >= j1) {
                    Arrays.fill(t, p, p + ow, 0f);
                    continue;
                }
                Arrays.fill(t, p, p + j0, 0f);
                int src = plane + yy * w + v - pad;
                for (int j = j0; j < j1; j++) {
                    t[p + j] = x[src + s * j];
                }
                Arrays.fill(t, p + j1, p + ow, 0f);
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
