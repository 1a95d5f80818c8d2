package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;

/**
 * Where labelled samples come from, by position: a random-access list of {@code size()} samples of
 * one {@link Shape}, each with a label in {@code [0, classNames().size())}. The trainer never sees a
 * source directly: {@link Dataset#of(SampleSource)} wraps one, and the dataset's views (subsets,
 * shuffled orders, validation splits) read from it.
 *
 * <p>Implementations: {@link Dataset} itself (one {@code float[]} in memory), {@link MappedSource}
 * (a memory-mapped file, for data larger than the heap), {@link LazySource} (decoded on demand,
 * e.g. image files), {@link TransformedSource} (fixed per-sample {@link Transform}s) and
 * {@link PrefetchingSource} (decodes ahead on worker threads).
 *
 * <p>{@link #copySample} and {@link #label} may be called from many threads at once and must
 * return the same values every time for the same position: training is then bit-identical for any
 * number of threads.
 */
public interface SampleSource {
    /** @return number of samples */
    int size();

    /** @return shape of one sample */
    Shape shape();

    /** @return the class names, by label */
    ClassNames classNames();

    /** @return number of classes */
    default int classes() {
        return classNames().size();
    }

    /**
     * @param i sample position in {@code [0, size())}
     * @return its label in {@code [0, classes())}
     */
    int label(int i);

    /**
     * Copies (or decodes) one sample.
     *
     * @param i   sample position in {@code [0, size())}
     * @param dst destination (modified: {@code shape().size()} values from {@code off})
     * @param off offset in {@code dst}
     * @throws java.io.UncheckedIOException when the sample cannot be read (the message names the file)
     */
    void copySample(int i, float[] dst, int off);

    /**
     * A 64-bit identity of the content (samples, labels and any transform), used by
     * {@link Dataset#fingerprint()} to refuse resuming on other data. Sources that cannot read
     * everything cheaply hash what identifies it (a file's checksum, a file list with sizes and times).
     *
     * @return the content hash
     */
    long contentHash();

    /**
     * A hint: these samples are read next, in this order. Sources that decode slowly start decoding
     * them on other threads; the default ignores the hint. Must not change what is read.
     *
     * @param positions sample positions, or null for the identity {@code 0, 1, 2, ...}
     * @param from      first entry of {@code positions} read next
     * @param to        end of the entries that follow, exclusive
     */
    default void prefetch(int[] positions, int from, int to) {
    }
}
