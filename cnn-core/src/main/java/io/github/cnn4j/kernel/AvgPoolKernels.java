package io.github.cnn4j.kernel;

import java.util.Arrays;

/**
 * Average pooling with a square window and stride equal to the window, for one sample.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input {@code x}: {@code (C, H, W)}</li>
 *   <li>output {@code y}: {@code (C, OH, OW)} with {@code OH = floor(H / S)}, {@code OW = floor(W / S)};
 *       rows and columns that do not fill a window are dropped, as in {@link MaxPoolKernels}</li>
 * </ul>
 *
 * <h2>Math</h2>
 * <pre>
 *   y[c, i, j]           = (1 / S^2) sum_{u, v &lt; S} x[c, i*S + u, j*S + v]
 *   dx[c, i*S + u, j*S + v] = dy[c, i, j] / S^2        (0 in the dropped rows and columns)
 * </pre>
 * The sum of a window is accumulated in float in row-major order, then multiplied by {@code 1 / S^2}.
 */
public final class AvgPoolKernels {
    private AvgPoolKernels() {
    }

    /**
     * Forward average pooling.
     *
     * @param x    input (not modified)
     * @param xOff offset of the sample in {@code x}
     * @param c    channels
     * @param h    height
     * @param w    width
     * @param s    window size and stride
     * @param y    output (modified: {@code C * OH * OW} floats written)
     * @param yOff offset of the sample in {@code y}
     */
    public static void forward(float[] x, int xOff, int c, int h, int w, int s, float[] y, int yOff) {
        int oh = h / s;
        int ow = w / s;
        float inv = 1f / (s * s);
        int o = yOff;
        for (int ci = 0; ci < c; ci++) {
            int plane = xOff + ci * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float sum = 0f;
                    for (int u = 0; u < s; u++) {
                        int row = plane + (i * s + u) * w + j * s;
                        for (int v = 0; v < s; v++) {
                            sum += x[row + v];
                        }
                    }
                    y[o++] = sum * inv;
                }
            }
        }
    }

    /**
     * Backward average pooling: spreads each output gradient evenly over its window.
     *
     * @param dy    output gradient (not modified)
     * @param dyOff offset of the sample in {@code dy}
     * @param c     channels
     * @param h     input height
     * @param w     input width
     * @param s     window size and stride
     * @param dx    input gradient (modified: {@code C * H * W} floats written)
     * @param dxOff offset of the sample in {@code dx}
     */
    public static void backward(float[] dy, int dyOff, int c, int h, int w, int s, float[] dx, int dxOff) {
        int oh = h / s;
        int ow = w / s;
        float inv = 1f / (s * s);
        Arrays.fill(dx, dxOff, dxOff + c * h * w, 0f);
        int o = dyOff;
        for (int ci = 0; ci < c; ci++) {
            int plane = dxOff + ci * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float g = dy[o++] * inv;
                    for (int u = 0; u < s; u++) {
                        int row = plane + (i * s + u) * w + j * s;
                        for (int v = 0; v < s; v++) {
                            dx[row + v] = g;
                        }
                    }
                }
            }
        }
    }
}
