package io.github.cnn4j.kernel;

import java.util.Arrays;

/** The max pooling of {@link MaxPoolKernels} in plain Java, window by window ({@link MaxPoolWindows}). */
final class ScalarMaxPoolKernels {
    private ScalarMaxPoolKernels() {
    }

    /** See {@link MaxPoolKernels#maxForward}: the branch-free 2 x 2 rows, or the general window loop. */
    static void maxForward(float[] x, int xOff, int c, int h, int w, int s, float[] y, int yOff, int[] switches, int sOff) {
        int oh = h / s;
        int ow = w / s;
        int o = 0;
        for (int ci = 0; ci < c; ci++) {
            int plane = ci * h * w;
            for (int i = 0; i < oh; i++) {
                if (s == 2) {
                    MaxPoolWindows.row2(x, xOff, w, plane + 2 * i * w, 0, ow, y, yOff + o, switches, sOff + o);
                    o += ow;
                    continue;
                }
                for (int j = 0; j < ow; j++, o++) {
                    MaxPoolWindows.window(x, xOff, w, s, plane + (i * s) * w + j * s, y, yOff + o, switches, sOff + o);
                }
            }
        }
    }

    /** See {@link MaxPoolKernels#max2Values}. */
    static void max2Values(float[] x, int xOff, int c, int h, int w, float[] y, int yOff) {
        int oh = h / 2;
        int ow = w / 2;
        int o = yOff;
        for (int ci = 0; ci < c; ci++) {
            int plane = xOff + ci * h * w;
            for (int i = 0; i < oh; i++) {
                int k = plane + 2 * i * w;
                for (int j = 0; j < ow; j++, o++, k += 2) {
                    y[o] = MaxPoolWindows.max2(x, k, w);
                }
            }
        }
    }

    /** See {@link MaxPoolKernels#maxBackward}. */
    static void maxBackward(float[] dy, int dyOff, int[] switches, int sOff, int n, float[] dx, int dxOff, int inSize) {
        Arrays.fill(dx, dxOff, dxOff + inSize, 0f);
        for (int o = 0; o < n; o++) {
            dx[dxOff + switches[sOff + o]] += dy[dyOff + o];
        }
    }
}
