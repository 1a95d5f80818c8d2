package io.github.cnn4j.init;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Every value set to one constant (zero for biases by default). */
public final class Constant implements Initializer {
    private final float value;

    /** @param value the constant */
    public Constant(float value) {
        this.value = value;
    }

    /** @return the zero initializer */
    public static Constant zeros() {
        return new Constant(0f);
    }

    @Override
    public void fill(float[] values, int fanIn, int fanOut, RandomGenerator rng) {
        Arrays.fill(values, value);
    }

    @Override
    public String name() {
        return value == 0f ? "zeros" : "constant(" + value + ")";
    }
}
