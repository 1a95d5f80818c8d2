package io.github.cnn4j.io.json;

import java.util.Arrays;

/**
 * An array a layer stores in a model file, known from its configuration and input shape before
 * anything is allocated: its name in the file, its shape, and whether it is non-trainable state
 * (batch normalization's running statistics) rather than a trainable parameter. A codec lists a
 * layer's parameters in {@code Layer.parameters()} order, then its state in {@code Layer.state()}
 * order; names are unique within the layer (composite layers prefix their children's, e.g.
 * {@code block.0.weight}).
 *
 * @param name  e.g. {@code weight}
 * @param shape e.g. {@code [6, 1, 5, 5]}
 * @param state whether it is in {@code Layer.state()} rather than {@code Layer.parameters()}
 */
public record ParamSpec(String name, int[] shape, boolean state) {
    /** Copies the shape. */
    public ParamSpec {
        shape = shape.clone();
    }

    /**
     * @param name  name in the file
     * @param shape dimensions
     * @return a trainable parameter's spec
     */
    public static ParamSpec parameter(String name, int... shape) {
        return new ParamSpec(name, shape, false);
    }

    /**
     * @param name  name in the file
     * @param shape dimensions
     * @return a state array's spec
     */
    public static ParamSpec state(String name, int... shape) {
        return new ParamSpec(name, shape, true);
    }

    /**
     * @param prefix e.g. {@code block.0.}
     * @return the same spec with the prefix before its name
     */
    public ParamSpec prefixed(String prefix) {
        return new ParamSpec(prefix + name, shape, state);
    }

    /** @return the number of values (a long: a hostile file's shapes may multiply past 2^31) */
    public long count() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    String shapeText() {
        return Arrays.toString(shape);
    }
}
