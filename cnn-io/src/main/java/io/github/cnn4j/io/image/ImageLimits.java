package io.github.cnn4j.io.image;

/**
 * Largest images the readers decode. The dimensions are read from the file's header before any
 * pixel is decoded, so a decompression bomb or a header claiming 50,000 x 50,000 pixels is refused
 * without allocating its pixels.
 *
 * @param maxSide   largest width or height in pixels
 * @param maxPixels largest {@code width * height}
 * @param maxBytes  largest file size in bytes
 */
public record ImageLimits(int maxSide, long maxPixels, long maxBytes) {
    /** 16,384 pixels a side, 40 million pixels (160 MB decoded as ARGB), 64 MiB a file. */
    public static final ImageLimits DEFAULT = new ImageLimits(16_384, 40_000_000L, 64L << 20);

    /** Checks the limits are positive. */
    public ImageLimits {
        if (maxSide < 1 || maxPixels < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("image limits must be positive, got side " + maxSide + ", pixels " + maxPixels
                    + ", bytes " + maxBytes);
        }
    }
}
