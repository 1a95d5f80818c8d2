package io.github.cnn4j.data;

import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;

/**
 * Image augmentation by a random shift of whole pixels, a small random rotation and, optionally, a
 * small random zoom, resampled bilinearly with zeros (MNIST's background) outside the image.
 *
 * <pre>{@code new RandomAffine(2, 10)   // shifts of -2..2 pixels in x and y, rotations within ±10°}</pre>
 *
 * <h2>The transform</h2>
 * For each sample, with {@code (cx, cy)} the image centre, shifts {@code dx, dy} uniform integers in
 * {@code [-maxShift, maxShift]}, angle {@code t} uniform in {@code [-maxDegrees, maxDegrees]} and
 * zoom {@code z} uniform in {@code [1 - maxZoom, 1 + maxZoom]}, output pixel {@code (x, y)} takes
 * the input at
 * <pre>
 *   (cx, cy) + R(t) ((x - dx - cx, y - dy - cy) / z),   R(t) = [[cos t, -sin t], [sin t, cos t]]
 * </pre>
 * interpolated bilinearly; every channel of a {@code (C, H, W)} sample gets the same transform.
 * With no rotation and no zoom the shift copies pixels exactly.
 *
 * <h2>Determinism</h2>
 * The draws of a sample are {@code Seeds.uniform(Seeds.mix(sampleSeed, SALT), 0..3)}: a function of
 * the per-sample seed only.
 */
public final class RandomAffine implements Augmentation {
    /** Separates this augmentation's draws from other noise drawn for the same sample. */
    public static final long SALT = 0x6175676D656E74L; // "augment"

    private final int maxShift;
    private final double maxDegrees;
    private final double maxZoom;

    /**
     * @param maxShift   largest shift in pixels, at least 0
     * @param maxDegrees largest rotation in degrees, in [0, 180]
     */
    public RandomAffine(int maxShift, double maxDegrees) {
        this(maxShift, maxDegrees, 0);
    }

    /**
     * @param maxShift   largest shift in pixels, at least 0
     * @param maxDegrees largest rotation in degrees, in [0, 180]
     * @param maxZoom    largest relative zoom in or out, in [0, 0.5]
     */
    public RandomAffine(int maxShift, double maxDegrees, double maxZoom) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("maxShift must be >= 0, got " + maxShift);
        }
        if (!(maxDegrees >= 0 && maxDegrees <= 180)) {
            throw new IllegalArgumentException("maxDegrees must be in [0, 180], got " + maxDegrees);
        }
        if (!(maxZoom >= 0 && maxZoom <= 0.5)) {
            throw new IllegalArgumentException("maxZoom must be in [0, 0.5], got " + maxZoom);
        }
        this.maxShift = maxShift;
        this.maxDegrees = maxDegrees;
        this.maxZoom = maxZoom;
    }

    /** @return largest shift in pixels */
    public int maxShift() {
        return maxShift;
    }

    /** @return largest rotation in degrees */
    public double maxDegrees() {
        return maxDegrees;
    }

    /** @return largest relative zoom */
    public double maxZoom() {
        return maxZoom;
    }

    @Override
    public void apply(float[] batch, int n, Shape shape, long[] sampleSeeds) {
        if (shape.rank() != 3) {
            throw new IllegalArgumentException("RandomAffine expects (channels, height, width) samples, got " + shape);
        }
        int c = shape.channels();
        int h = shape.height();
        int w = shape.width();
        int size = shape.size();
        float[] src = new float[size];
        for (int k = 0; k < n; k++) {
            long s = Seeds.mix(sampleSeeds[k], SALT);
            int dx = shift(Seeds.uniform(s, 0));
            int dy = shift(Seeds.uniform(s, 1));
            double angle = Math.toRadians(maxDegrees * (2 * Seeds.uniform(s, 2) - 1));
            double zoom = 1 + maxZoom * (2 * Seeds.uniform(s, 3) - 1);
            int off = k * size;
            System.arraycopy(batch, off, src, 0, size);
            transform(src, c, h, w, dx, dy, angle, zoom, batch, off);
        }
    }

    private int shift(float u) {
        return Math.min(maxShift, (int) Math.floor(u * (2 * maxShift + 1)) - maxShift);
    }

    /**
     * Resamples one image.
     *
     * @param src   the input {@code (C, H, W)} (not modified)
     * @param c     channels
     * @param h     height
     * @param w     width
     * @param dx    shift right in pixels
     * @param dy    shift down in pixels
     * @param angle rotation in radians
     * @param zoom  scale factor, 1 for none
     * @param dst   output (modified: {@code C * H * W} values from {@code off})
     * @param off   offset in {@code dst}
     */
    static void transform(float[] src, int c, int h, int w, int dx, int dy, double angle, double zoom, float[] dst, int off) {
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double cos = Math.cos(angle) / zoom;
        double sin = Math.sin(angle) / zoom;
        boolean exact = angle == 0 && zoom == 1;
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double px = x - dx - cx;
                double py = y - dy - cy;
                // Inverse map from output to input pixel: undo the shift, the zoom, then rotate by R(angle).
                double sx = cx + cos * px - sin * py;
                double sy = cy + sin * px + cos * py;
                for (int ci = 0; ci < c; ci++) {
                    float v;
                    if (exact) {
                        int ix = x - dx;
                        int iy = y - dy;
                        v = ix >= 0 && ix < w && iy >= 0 && iy < h ? src[ci * plane + iy * w + ix] : 0f;
                    } else {
                        v = bilinear(src, ci * plane, h, w, sx, sy);
                    }
                    dst[off + ci * plane + y * w + x] = v;
                }
            }
        }
    }

    private static float bilinear(float[] src, int off, int h, int w, double sx, double sy) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        double v = 0;
        v += (1 - fx) * (1 - fy) * pixel(src, off, h, w, x0, y0);
        v += fx * (1 - fy) * pixel(src, off, h, w, x0 + 1, y0);
        v += (1 - fx) * fy * pixel(src, off, h, w, x0, y0 + 1);
        v += fx * fy * pixel(src, off, h, w, x0 + 1, y0 + 1);
        return (float) v;
    }

    private static float pixel(float[] src, int off, int h, int w, int x, int y) {
        return x >= 0 && x < w && y >= 0 && y < h ? src[off + y * w + x] : 0f;
    }

    @Override
    public String toString() {
        return "RandomAffine(shift " + maxShift + " px, rotation " + maxDegrees + " deg" + (maxZoom > 0 ? ", zoom " + maxZoom : "") + ")";
    }
}
