package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;

/**
 * Resizes every channel to {@code height x width} by bilinear interpolation with pixel centres
 * aligned ({@code src = (dst + 0.5) * in / out - 0.5}, clamped at the edges). Shrinking by more than
 * a factor of two averages boxes of source pixels first, so fine detail does not alias. An image
 * already of the target size is copied exactly.
 */
public final class Resize implements Transform {
    private final int height;
    private final int width;

    /**
     * @param height output height, at least 1
     * @param width  output width, at least 1
     */
    public Resize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("Resize needs a size of at least 1 x 1, got " + height + " x " + width);
        }
        this.height = height;
        this.width = width;
    }

    @Override
    public Shape outputShape(Shape in) {
        return Shape.of(Transform.requireImage("Resize", in).channels(), height, width);
    }

    @Override
    public void apply(float[] src, int srcOff, Shape in, float[] dst, int dstOff, long seed) {
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        for (int ch = 0; ch < c; ch++) {
            resize(src, srcOff + ch * h * w, h, w, dst, dstOff + ch * height * width, height, width);
        }
    }

    /**
     * Resizes one plane.
     *
     * @param src  input plane (not modified)
     * @param so   its offset
     * @param h    input height
     * @param w    input width
     * @param dst  output plane (modified)
     * @param dOff its offset
     * @param oh   output height
     * @param ow   output width
     */
    static void resize(float[] src, int so, int h, int w, float[] dst, int dOff, int oh, int ow) {
        if (h == oh && w == ow) {
            System.arraycopy(src, so, dst, dOff, h * w);
            return;
        }
        int fy = Math.max(1, h / (2 * oh));
        int fx = Math.max(1, w / (2 * ow));
        if (fy > 1 || fx > 1) {
            int bh = h / fy;
            int bw = w / fx;
            float[] box = new float[bh * bw];
            for (int y = 0; y < bh; y++) {
                for (int x = 0; x < bw; x++) {
                    double s = 0;
                    for (int yy = 0; yy < fy; yy++) {
                        for (int xx = 0; xx < fx; xx++) {
                            s += src[so + (y * fy + yy) * w + x * fx + xx];
                        }
                    }
                    box[y * bw + x] = (float) (s / (fy * fx));
                }
            }
            resize(box, 0, bh, bw, dst, dOff, oh, ow);
            return;
        }
        double sy = (double) h / oh;
        double sx = (double) w / ow;
        for (int y = 0; y < oh; y++) {
            double py = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
            int y0 = (int) py;
            int y1 = Math.min(h - 1, y0 + 1);
            double ty = py - y0;
            for (int x = 0; x < ow; x++) {
                double px = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
                int x0 = (int) px;
                int x1 = Math.min(w - 1, x0 + 1);
                double tx = px - x0;
                double top = src[so + y0 * w + x0] * (1 - tx) + src[so + y0 * w + x1] * tx;
                double bottom = src[so + y1 * w + x0] * (1 - tx) + src[so + y1 * w + x1] * tx;
                dst[dOff + y * ow + x] = (float) (top * (1 - ty) + bottom * ty);
            }
        }
    }

    @Override
    public String toString() {
        return "Resize(" + height + "x" + width + ")";
    }
}
