package io.github.cnn4j.random;

import java.util.random.RandomGenerator;

/**
 * SplitMix64: a fast 64-bit generator whose entire state is one {@code long}, exposed by
 * {@link #state()} so that training can checkpoint and later continue the exact same stream.
 *
 * <p>The uniform draws cnn4j uses ({@code nextInt}, {@code nextInt(bound)}, {@code nextFloat},
 * {@code nextDouble}, {@code nextBoolean}) are defined here with the same arithmetic as JDK 17's
 * {@link RandomGenerator} default methods, so they give the same numbers on any JDK, not only on the
 * one a run was recorded on. {@code nextGaussian} (He-normal initialization, including the paper
 * preset's convolution weights) is still the JDK's default, a ziggurat over {@link #nextLong()}:
 * replacing it would change every model trained from a seed so far. A JDK that changes that default
 * would draw other initial convolution weights; {@code RngTest} records values to detect it. Every
 * draw is a pure function of the state. Not thread-safe.
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

    /** @return the upper 32 bits of {@link #nextLong()} */
    @Override
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /**
     * A uniform int in {@code [0, bound)}: a power-of-two bound keeps the low bits of
     * {@link #nextInt()}; any other bound takes a 31-bit draw modulo the bound and draws again
     * while the draw falls in the incomplete last block of {@code bound} values (no bias).
     *
     * @param bound the exclusive upper bound, positive
     * @return the draw
     */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int r = nextInt();
        int m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        int u = r >>> 1;
        r = u % bound;
        // u - r is the start of u's block of `bound` values; the block is complete unless its end overflows
        while (u - r + m < 0) {
            u = nextInt() >>> 1;
            r = u % bound;
        }
        return r;
    }

    /** @return a uniform double in {@code [0, 1)}: the upper 53 bits of {@link #nextLong()} times 2^-53 */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return a uniform float in {@code [0, 1)}: the upper 24 bits of {@link #nextInt()} times 2^-24 */
    @Override
    public float nextFloat() {
        return (nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** @return the sign bit of {@link #nextInt()} */
    @Override
    public boolean nextBoolean() {
        return nextInt() < 0;
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
