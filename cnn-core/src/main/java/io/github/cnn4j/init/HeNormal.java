package io.github.cnn4j.init;

import java.util.random.RandomGenerator;

/**
 * He (Kaiming) normal initialization: {@code w ~ N(0, 2 / fanIn)}. The default for convolution
 * weights, as the paper used to avoid dead ReLU kernels.
 */
public final class HeNormal implements Initializer {
    @Override
    public void fill(float[] values, int fanIn, int fanOut, RandomGenerator rng) {
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (rng.nextGaussian() * std);
        }
    }

    @Override
    public String name() {
        return "he-normal";
    }
}
