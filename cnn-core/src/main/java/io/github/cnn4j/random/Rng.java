package io.github.cnn4j.random;

import java.util.random.RandomGenerator;

/**
 * SplitMix64: a fast 64-bit generator whose entire state is one {@code long}, exposed by
 * {@link #state()} so that training can checkpoint and later continue the exact same stream.
 *
 * <p>All other draws ({@code nextFloat}, {@code nextGaussian}, bounded ints) come from the
 * {@link RandomGenerator} defaults and are therefore a pure function of the state. Not thread-safe.
 */
public final class Rng implements RandomGenerator {
    private long state;

    /** @param seed the seed; equal seeds give equal streams */
    public Rng(long seed) {
        this.state = seed;
    }

    /** @return the current state; {@code new Rng(s)} with it continues this stream exactly */
    public long state() {
        return state;
    }

    /**
     * Restores a state returned by {@link #state()}.
     *
     * @param s the state
     */
    public void state(long s) {
        this.state = s;
    }

    @Override
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A generator for an independent stream derived from this one (advances this generator once).
     *
     * @return a new generator
     */
    public Rng split() {
        return new Rng(nextLong());
    }
}
