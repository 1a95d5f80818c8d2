package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;
import java.util.Arrays;

/**
 * A source that decodes each sample when it is read (image files, records of a large file), from
 * a {@link SampleDecoder}. Nothing is kept: wrap it in a {@link PrefetchingSource} to decode on
 * worker threads ahead of training, or build a cache (cnn-io's {@code ImageCache}) to decode once.
 */
public final class LazySource implements SampleSource {
    private final Shape shape;
    private final int[] labels;
    private final ClassNames names;
    private final SampleDecoder decoder;
    private final long contentHash;

    /**
     * @param shape       shape of every decoded sample
     * @param labels      one label per sample, in {@code [0, names.size())} (copied)
     * @param names       class names
     * @param decoder     decodes sample {@code i}; must be thread-safe and give the same values every time
     * @param contentHash identity of the content, e.g. a hash of file names, sizes and times
     */
    public LazySource(Shape shape, int[] labels, ClassNames names, SampleDecoder decoder, long contentHash) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new IllegalArgumentException("label of sample " + i + " is " + labels[i] + ", expected 0.." + (names.size() - 1));
            }
        }
        this.shape = shape;
        this.labels = Arrays.copyOf(labels, labels.length);
        this.names = names;
        this.decoder = decoder;
        this.contentHash = contentHash;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public ClassNames classNames() {
        return names;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public void copySample(int i, float[] dst, int off) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("sample " + i + " of " + labels.length);
        }
        decoder.decode(i, dst, off);
    }

    @Override
    public long contentHash() {
        return contentHash;
    }

    @Override
    public String toString() {
        return "LazySource(" + labels.length + " x " + shape + ", " + names.size() + " classes)";
    }
}
