package io.github.cnn4j.init;

import java.util.random.RandomGenerator;

/**
 * Uniform values in {@code [low, high)}, redrawn while {@code |w| < minMagnitude}. The paper's dense
 * layers use {@link #paperWeights()} ({@code [-0.25, 0.25)}, {@code |w| >= 0.001}) and
 * {@link #paperBiases()} ({@code [0.001, 0.25)}).
 */
public final class UniformRange implements Initializer {
    private final double low;
    private final double high;
    private final double minMagnitude;

    /**
     * @param low          inclusive lower bound
     * @param high         exclusive upper bound
     * @param minMagnitude values with a smaller absolute value are redrawn (0 to accept all)
     */
    public UniformRange(double low, double high, double minMagnitude) {
        if (!(low < high)) {
            throw new IllegalArgumentException("need low < high, got [" + low + ", " + high + ")");
        }
        if (minMagnitude < 0 || (minMagnitude >= Math.max(Math.abs(low), Math.abs(high)))) {
            throw new IllegalArgumentException("minMagnitude " + minMagnitude + " leaves nothing to draw in [" + low + ", " + high + ")");
        }
        this.low = low;
        this.high = high;
        this.minMagnitude = minMagnitude;
    }

    /** @return the paper's dense-weight initializer */
    public static UniformRange paperWeights() {
        return new UniformRange(-0.25, 0.25, 0.001);
    }

    /** @return the paper's dense-bias initializer */
    public static UniformRange paperBiases() {
        return new UniformRange(0.001, 0.25, 0);
    }

    @Override
    public void fill(float[] values, int fanIn, int fanOut, RandomGenerator rng) {
        for (int i = 0; i < values.length; i++) {
            float w;
            do {
                // checked after rounding to float: a double just below high can round up to high
                w = (float) (low + rng.nextDouble() * (high - low));
            } while (Math.abs(w) < minMagnitude || w >= high);
            values[i] = w;
        }
    }

    @Override
    public String name() {
        return "uniform[" + low + ", " + high + ")";
    }
}
