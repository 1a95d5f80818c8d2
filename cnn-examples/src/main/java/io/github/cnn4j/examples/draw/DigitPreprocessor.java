package io.github.cnn4j.examples.draw;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Turns a drawing into a 28x28 model input with ink values in [0, 1] (1 = full ink), as MNIST stores
 * digits: white strokes on black.
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@link #plain}: the whole canvas scaled down to 28x28 (what the paper's drawing program did);</li>
 *   <li>{@link #mnist}: MNIST's own normalization — crop to the stroke's bounding box, scale it
 *       (keeping its aspect ratio) to fit a 20x20 box, and place it in the 28x28 image so that its
 *       centre of mass is at the centre.</li>
 * </ul>
 * Scaling uses Java2D's area-averaging, which anti-aliases like MNIST's grey edges.
 */
public final class DigitPreprocessor {
    /** Side of the model input. */
    public static final int SIZE = 28;
    /** Side of the box the digit is scaled into by {@link #mnist}. */
    public static final int BOX = 20;
    private static final float INK_THRESHOLD = 0.05f;

    private DigitPreprocessor() {
    }

    /**
     * Reads ink from a canvas image: dark pixels on a light background become high values.
     *
     * @param canvas any image (black strokes on white)
     * @return {@code height x width} ink values in [0, 1], row-major
     */
    public static float[] ink(BufferedImage canvas) {
        int w = canvas.getWidth();
        int h = canvas.getHeight();
        BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.drawImage(canvas, 0, 0, null);
        g.dispose();
        Raster r = gray.getRaster();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = 1f - r.getSample(x, y, 0) / 255f;
            }
        }
        return out;
    }

    /**
     * The paper's preprocessing: scale the whole canvas to 28x28.
     *
     * @param ink    {@code height x width} ink values
     * @param width  canvas width
     * @param height canvas height
     * @return 784 values in [0, 1]
     */
    public static float[] plain(float[] ink, int width, int height) {
        return scale(ink, width, 0, 0, width, height, SIZE, SIZE, 0, 0, SIZE);
    }

    /**
     * MNIST's normalization: bounding box, fit into 20x20, centre of mass to the centre of 28x28.
     *
     * @param ink    {@code height x width} ink values
     * @param width  canvas width
     * @param height canvas height
     * @return 784 values in [0, 1]; all zero for an empty canvas
     */
    public static float[] mnist(float[] ink, int width, int height) {
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (ink[y * width + x] > INK_THRESHOLD) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        if (x1 < 0) {
            return new float[SIZE * SIZE];
        }
        int bw = x1 - x0 + 1;
        int bh = y1 - y0 + 1;
        double scale = (double) BOX / Math.max(bw, bh);
        int sw = Math.max(1, (int) Math.round(bw * scale));
        int sh = Math.max(1, (int) Math.round(bh * scale));
        // Scale the box into an sw x sh image.
        float[] small = scale(ink, width, x0, y0, bw, bh, sw, sh, 0, 0, sw);
        // Centre of mass of the scaled digit.
        double mass = 0;
        double cx = 0;
        double cy = 0;
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                double v = small[y * sw + x];
                mass += v;
                cx += v * (x + 0.5);
                cy += v * (y + 0.5);
            }
        }
        cx /= mass;
        cy /= mass;
        int ox = (int) Math.round(SIZE / 2.0 - cx);
        int oy = (int) Math.round(SIZE / 2.0 - cy);
        float[] out = new float[SIZE * SIZE];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int tx = x + ox;
                int ty = y + oy;
                if (tx >= 0 && tx < SIZE && ty >= 0 && ty < SIZE) {
                    out[ty * SIZE + tx] = small[y * sw + x];
                }
            }
        }
        return out;
    }

    /** Scales a rectangle of {@code src} to {@code dw x dh} with area averaging, written at (ox, oy) of a {@code stride}-wide result. */
    private static float[] scale(float[] src, int srcWidth, int sx, int sy, int sw, int sh, int dw, int dh, int ox, int oy, int stride) {
        BufferedImage img = new BufferedImage(sw, sh, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int v = Math.round(Math.min(1f, Math.max(0f, src[(sy + y) * srcWidth + sx + x])) * 255f);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        Image scaled = img.getScaledInstance(dw, dh, Image.SCALE_AREA_AVERAGING);
        BufferedImage dst = new BufferedImage(dw, dh, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(scaled, 0, 0, null);
        g.dispose();
        int rows = oy + dh;
        float[] out = new float[rows * stride];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                out[(oy + y) * stride + ox + x] = dst.getRaster().getSample(x, y, 0) / 255f;
            }
        }
        return out;
    }
}
