package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;
import java.util.Arrays;

/**
 * Per-channel normalisation {@code (v - mean[c]) / std[c]}; one mean and std may serve every channel.
 */
public final class Normalize implements Transform {
    private final float[] mean;
    private final float[] std;

    /**
     * @param mean per-channel means (or one for all channels)
     * @param std  per-channel standard deviations, each finite and positive (as many as means)
     */
    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize needs as many means as standard deviations (at least one), got "
                    + mean.length + " and " + std.length);
        }
        for (int i = 0; i < mean.length; i++) {
            if (!Float.isFinite(mean[i]) || !(std[i] > 0) || !Float.isFinite(std[i])) {
                throw new IllegalArgumentException("Normalize channel " + i + ": mean must be finite and std finite and > 0, got "
                        + mean[i] + " and " + std[i]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** @return the means (a copy) */
    public float[] mean() {
        return mean.clone();
    }

    /** @return the standard deviations (a copy) */
    public float[] std() {
        return std.clone();
    }

    @Override
    public Shape outputShape(Shape in) {
        Transform.requireImage("Normalize", in);
        if (mean.length != 1 && mean.length != in.channels()) {
            throw new IllegalArgumentException("Normalize has " + mean.length + " channel(s), the samples " + in.channels() + ": " + in);
        }
        return in;
    }

    @Override
    public void apply(float[] src, int srcOff, Shape in, float[] dst, int dstOff, long seed) {
        outputShape(in);
        int plane = in.height() * in.width();
        for (int c = 0; c < in.channels(); c++) {
            int k = mean.length == 1 ? 0 : c;
            float m = mean[k];
            float inv = 1f / std[k];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                dst[dstOff + i] = (src[srcOff + i] - m) * inv;
            }
        }
    }

    @Override
    public String toString() {
        return "Normalize(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
