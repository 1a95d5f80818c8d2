package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;

/** Shape rules shared by the pooling layers (window = stride, floor). */
final class Pooling {
    private Pooling() {
    }

    /**
     * @param in   input shape, {@code (C, H, W)}
     * @param size window size and stride
     * @return {@code (C, floor(H / size), floor(W / size))}
     * @throws IllegalArgumentException when the input is not an image or the window does not fit
     */
    static Shape outputShape(Shape in, int size) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException("expects a (channels, height, width) input, got " + in);
        }
        if (size > in.height() || size > in.width()) {
            throw new IllegalArgumentException("window " + size + "x" + size + " is larger than its input " + in);
        }
        return Shape.of(in.channels(), in.height() / size, in.width() / size);
    }
}
