package io.github.cnn4j.data;

import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;

/**
 * Cuts a {@code height x width} window at a random place out of the input surrounded by
 * {@code padding} zeros on every side; the same window for every channel. With
 * {@code padding = p} and an output of the input's size this is the usual "pad and crop"
 * augmentation (shifts of up to {@code p} pixels).
 *
 * <p>The window's top-left corner: {@code y = floor(u0 * (H + 2p - height + 1))},
 * {@code x = floor(u1 * (W + 2p - width + 1))}, with {@code u_i = Seeds.uniform(Seeds.mix(seed, SALT), i)}.
 */
public final class RandomCrop implements Transform {
    /** Separates this transform's draws from other noise of the same sample. */
    public static final long SALT = 0x63726F70L; // "crop"

    private final int height;
    private final int width;
    private final int padding;

    /**
     * @param height  output height, at least 1
     * @param width   output width, at least 1
     * @param padding zeros added on every side before cropping, at least 0
     */
    public RandomCrop(int height, int width, int padding) {
        if (height < 1 || width < 1 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop needs a size of at least 1 x 1 and padding >= 0, got "
                    + height + " x " + width + ", padding " + padding);
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
    }

    @Override
    public Shape outputShape(Shape in) {
        Transform.requireImage("RandomCrop", in);
        if (in.height() + 2 * padding < height || in.width() + 2 * padding < width) {
            throw new IllegalArgumentException("RandomCrop(" + height + "x" + width + ", padding " + padding
                    + ") needs an input of at least " + (height - 2 * padding) + " x " + (width - 2 * padding) + ", got " + in);
        }
        return Shape.of(in.channels(), height, width);
    }

    @Override
    public void apply(float[] src, int srcOff, Shape in, float[] dst, int dstOff, long seed) {
        outputShape(in);
        long s = Seeds.mix(seed, SALT);
        int rangeY = in.height() + 2 * padding - height + 1;
        int rangeX = in.width() + 2 * padding - width + 1;
        int y = Math.min(rangeY - 1, (int) (Seeds.uniform(s, 0) * rangeY));
        int x = Math.min(rangeX - 1, (int) (Seeds.uniform(s, 1) * rangeX));
        crop(src, srcOff, in, padding, y, x, height, width, dst, dstOff);
    }

    /**
     * Copies a window of the zero-padded input.
     *
     * @param src     input (not modified)
     * @param srcOff  its offset
     * @param in      input shape {@code (C, H, W)}
     * @param padding zeros around the input
     * @param top     window row in the padded input
     * @param left    window column in the padded input
     * @param oh      window height
     * @param ow      window width
     * @param dst     output (modified)
     * @param dstOff  its offset
     */
    static void crop(float[] src, int srcOff, Shape in, int padding, int top, int left, int oh, int ow, float[] dst, int dstOff) {
        int h = in.height();
        int w = in.width();
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < oh; y++) {
                int iy = top + y - padding;
                for (int x = 0; x < ow; x++) {
                    int ix = left + x - padding;
                    dst[dstOff + (c * oh + y) * ow + x] = iy >= 0 && iy < h && ix >= 0 && ix < w ? src[srcOff + (c * h + iy) * w + ix] : 0f;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RandomCrop(" + height + "x" + width + (padding > 0 ? ", padding " + padding : "") + ")";
    }
}
