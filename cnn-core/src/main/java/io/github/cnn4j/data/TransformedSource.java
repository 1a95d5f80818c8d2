package io.github.cnn4j.data;

import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;

/**
 * A source whose samples pass through a {@link Transform} when read, sample {@code i} with the seed
 * {@code Seeds.mix(seed, i)}: a random transform is drawn once per sample and stays the same in
 * every epoch (for draws that change every epoch use {@link Pipeline#asAugmentation()} in the trainer).
 */
public final class TransformedSource implements SampleSource {
    private final SampleSource base;
    private final Transform transform;
    private final long seed;
    private final Shape shape;

    /**
     * @param base      the samples
     * @param transform applied to each
     * @param seed      seed of the random transforms
     * @throws IllegalArgumentException when the transform cannot take the base's shape
     */
    public TransformedSource(SampleSource base, Transform transform, long seed) {
        this.base = base;
        this.transform = transform;
        this.seed = seed;
        this.shape = transform.outputShape(base.shape());
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public ClassNames classNames() {
        return base.classNames();
    }

    @Override
    public int label(int i) {
        return base.label(i);
    }

    @Override
    public void copySample(int i, float[] dst, int off) {
        float[] raw = new float[base.shape().size()];
        base.copySample(i, raw, 0);
        transform.apply(raw, 0, base.shape(), dst, off, Seeds.mix(seed, i));
    }

    @Override
    public long contentHash() {
        return Seeds.mix(base.contentHash(), seed, transform.toString().hashCode());
    }

    @Override
    public void prefetch(int[] positions, int from, int to) {
        base.prefetch(positions, from, to);
    }

    @Override
    public String toString() {
        return "Transformed(" + base + ", " + transform + ")";
    }
}
