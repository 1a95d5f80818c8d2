package io.github.cnn4j.io.json;

/**
 * Limits that model and config readers enforce before and while reading, so hostile or broken files
 * are rejected with a {@link io.github.cnn4j.io.FormatException} instead of exhausting memory.
 *
 * @param maxFileBytes largest file accepted, checked before parsing
 * @param maxValues    most weight values (floats) in one file, counted while parsing
 * @param maxDepth     deepest JSON nesting accepted
 * @param maxLayers    most layers in one model
 */
public record JsonLimits(long maxFileBytes, long maxValues, int maxDepth, int maxLayers) {
    /** 1 GiB files, 2^28 values (1 GiB of floats), nesting 64, 10,000 layers. */
    public static final JsonLimits DEFAULT = new JsonLimits(1L << 30, 1L << 28, 64, 10_000);

    /**
     * The most bytes a writer spends on one value, in any format cnn4j writes: the paper's format puts
     * each float on its own indented line (at most 15 characters, a comma, a line break and 24 spaces
     * of indentation); the native format and checkpoints spend about 5.4 (base64) or 19 (two models and
     * the state) bytes.
     */
    public static final int MAX_WRITTEN_BYTES_PER_VALUE = 48;

    /**
     * @return the most parameter values a model may have for every file cnn4j writes of it to be
     *         readable under these limits ({@code maxFileBytes / }{@value #MAX_WRITTEN_BYTES_PER_VALUE})
     */
    public long maxWritableValues() {
        return Math.min(maxValues, maxFileBytes / MAX_WRITTEN_BYTES_PER_VALUE);
    }

    /**
     * Refuses to write a file that the readers would refuse: what the writers produce, the readers accept.
     *
     * @param file   the file about to be written (for the message)
     * @param values parameter and state values of the model it holds
     * @throws IllegalArgumentException naming the file, the count and the limit
     */
    public void requireWritable(Object file, long values) {
        if (values > maxWritableValues()) {
            throw new IllegalArgumentException("cannot write " + file + ": the model has " + values + " parameter values, its file "
                    + "could exceed the readers' limit of " + maxFileBytes + " bytes (at most " + maxWritableValues() + " values)");
        }
    }

    /** Checks that every limit is positive. */
    public JsonLimits {
        if (maxFileBytes < 1 || maxValues < 1 || maxDepth < 8 || maxLayers < 1) {
            throw new IllegalArgumentException("limits must be positive (maxDepth >= 8), got " + maxFileBytes + ", " + maxValues
                    + ", " + maxDepth + ", " + maxLayers);
        }
    }
}
