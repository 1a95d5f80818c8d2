package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;

/**
 * A random transformation of training samples (data augmentation), applied by the trainer to every
 * training batch after it is copied out of the {@link Dataset}; the dataset itself is never changed.
 *
 * <p>Implementations must draw all their randomness from the given per-sample seeds, which the
 * trainer derives from (seed, epoch, position of the sample in the epoch). A sample is then
 * transformed the same way whichever thread handles it, and training stays bit-identical for any
 * thread count. {@code apply} may run on several threads at once, on different batches.
 */
@FunctionalInterface
public interface Augmentation {
    /**
     * Transforms {@code n} samples in place.
     *
     * @param batch       the samples, {@code n * shape.size()} values from index 0 (modified)
     * @param n           number of samples
     * @param shape       shape of one sample
     * @param sampleSeeds one seed per sample (not modified)
     */
    void apply(float[] batch, int n, Shape shape, long[] sampleSeeds);
}
