package io.github.cnn4j.io.json;

import java.util.Arrays;

/**
 * A parameter a layer needs: its name (as {@link io.github.cnn4j.layer.Parameter#name()}) and shape.
 *
 * @param name  e.g. {@code weight}
 * @param shape e.g. {@code [6, 1, 5, 5]}
 */
record ParamSpec(String name, int[] shape) {
    long count() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    String shapeText() {
        return Arrays.toString(shape);
    }
}
