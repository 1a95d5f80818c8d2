package io.github.cnn4j.data;

/** Decodes one sample of a {@link LazySource}; called from many threads at once. */
@FunctionalInterface
public interface SampleDecoder {
    /**
     * @param i   sample position
     * @param dst destination (modified: one sample's values from {@code off})
     * @param off offset in {@code dst}
     * @throws java.io.UncheckedIOException when the sample cannot be read (the message names the file)
     */
    void decode(int i, float[] dst, int off);
}
