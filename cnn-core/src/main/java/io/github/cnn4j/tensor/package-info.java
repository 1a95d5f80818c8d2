/**
 * Shapes and batched float32 tensors: the currency every layer, kernel and loss trades in.
 *
 * <p>A {@link io.github.cnn4j.tensor.Shape} describes one sample (for images: channels, height,
 * width). A {@link io.github.cnn4j.tensor.Tensor} holds a batch of samples of one shape in a single
 * contiguous {@code float[]}, sample after sample, each in row-major order.
 */
package io.github.cnn4j.tensor;
