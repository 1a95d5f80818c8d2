package io.github.cnn4j.io.json;

import java.util.Arrays;

/**
 * A rectangular nested JSON array of numbers, flattened in row-major order.
 *
 * @param shape  extent of each nesting level, outermost first
 * @param values the numbers, last index fastest
 */
record ParsedArray(int[] shape, float[] values) {
    boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    String shapeText() {
        return Arrays.toString(shape);
    }
}
