package io.github.cnn4j.init;

import java.util.random.RandomGenerator;

/**
 * Fills a freshly created parameter with initial values.
 */
@FunctionalInterface
public interface Initializer {
    /**
     * @param values the parameter's values (modified: every element is written)
     * @param fanIn  inputs feeding one output unit (e.g. {@code kh * kw * inChannels} for a conv)
     * @param fanOut outputs fed by one input unit
     * @param rng    the random source (advanced)
     */
    void fill(float[] values, int fanIn, int fanOut, RandomGenerator rng);

    /** @return a short name for summaries, e.g. {@code he-normal} */
    default String name() {
        return getClass().getSimpleName();
    }
}
