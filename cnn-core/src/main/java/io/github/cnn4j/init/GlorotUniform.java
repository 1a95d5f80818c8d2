package io.github.cnn4j.init;

import java.util.random.RandomGenerator;

/**
 * Glorot (Xavier) uniform initialization: {@code w ~ U(-l, l)} with
 * {@code l = sqrt(6 / (fanIn + fanOut))}.
 */
public final class GlorotUniform implements Initializer {
    @Override
    public void fill(float[] values, int fanIn, int fanOut, RandomGenerator rng) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
    }

    @Override
    public String name() {
        return "glorot-uniform";
    }
}
