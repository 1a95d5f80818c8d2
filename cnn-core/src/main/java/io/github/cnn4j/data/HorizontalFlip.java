package io.github.cnn4j.data;

import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;

/**
 * Mirrors the image left to right with probability {@code p}: when
 * {@code Seeds.uniform(Seeds.mix(seed, SALT), 0) < p}. With {@code p = 1} it always flips.
 */
public final class HorizontalFlip implements Transform {
    /** Separates this transform's draws from other noise of the same sample. */
    public static final long SALT = 0x666C6970L; // "flip"

    private final double p;

    /** @param p probability of a flip, in [0, 1] */
    public HorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("HorizontalFlip probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public Shape outputShape(Shape in) {
        return Transform.requireImage("HorizontalFlip", in);
    }

    @Override
    public void apply(float[] src, int srcOff, Shape in, float[] dst, int dstOff, long seed) {
        Transform.requireImage("HorizontalFlip", in);
        boolean flip = Seeds.uniform(Seeds.mix(seed, SALT), 0) < p;
        int w = in.width();
        int rows = in.channels() * in.height();
        for (int r = 0; r < rows; r++) {
            int base = r * w;
            for (int x = 0; x < w; x++) {
                dst[dstOff + base + x] = src[srcOff + base + (flip ? w - 1 - x : x)];
            }
        }
    }

    @Override
    public String toString() {
        return "HorizontalFlip(p " + p + ")";
    }
}
