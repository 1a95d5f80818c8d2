package io.github.cnn4j.io.image;

/**
 * A decoded image, values in {@code [0, 1]}, planes of {@code height x width} one channel after the other.
 *
 * @param pixels   {@code channels * height * width} values
 * @param channels 1 (grayscale) or 3 (RGB)
 * @param height   height in pixels
 * @param width    width in pixels
 */
public record DecodedImage(float[] pixels, int channels, int height, int width) {
}
