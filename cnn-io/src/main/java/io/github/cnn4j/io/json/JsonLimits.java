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

    /** Checks that every limit is positive. */
    public JsonLimits {
        if (maxFileBytes < 1 || maxValues < 1 || maxDepth < 8 || maxLayers < 1) {
            throw new IllegalArgumentException("limits must be positive (maxDepth >= 8), got " + maxFileBytes + ", " + maxValues
                    + ", " + maxDepth + ", " + maxLayers);
        }
    }
}
