package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;

/**
 * A per-sample transformation of a {@code (channels, height, width)} image: resize, crop, flip,
 * normalisation, channel conversion. It may change the shape ({@link #outputShape}).
 *
 * <p>A random transform draws all its randomness from the {@code seed} it is given, never from a
 * shared generator: used in a {@link TransformedSource} the seed is {@code Seeds.mix(seed, position)}
 * (fixed per sample), used as training augmentation ({@link Pipeline#asAugmentation()}) it is the
 * trainer's per-sample seed {@code Seeds.mix(seed, epoch, position)}. Either way the result is a
 * function of the seed and the sample's position, the same on any thread: the same seed gives
 * bit-identical weights on any number of threads. Implementations are immutable and thread-safe.
 */
public interface Transform {
    /**
     * @param in shape of the input sample
     * @return shape of the output sample
     * @throws IllegalArgumentException when the transform cannot take this shape (the message says why)
     */
    Shape outputShape(Shape in);

    /**
     * Transforms one sample. {@code src} and {@code dst} must not overlap.
     *
     * @param src    input values (not modified)
     * @param srcOff offset of the sample in {@code src}
     * @param in     input shape
     * @param dst    output (modified: {@code outputShape(in).size()} values from {@code dstOff})
     * @param dstOff offset in {@code dst}
     * @param seed   the sample's seed (ignored by deterministic transforms)
     */
    void apply(float[] src, int srcOff, Shape in, float[] dst, int dstOff, long seed);

    /**
     * Checks a sample shape is {@code (C, H, W)}.
     *
     * @param name the transform, for the message
     * @param in   the shape
     * @return {@code in}
     */
    static Shape requireImage(String name, Shape in) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException(name + " expects (channels, height, width) samples, got " + in);
        }
        return in;
    }
}
