package io.github.cnn4j.random;

/**
 * Stateless seed derivation: turns coordinates such as (seed, epoch, sample position) into
 * well-mixed 64-bit seeds, and seeds into uniform numbers, without any generator state.
 *
 * <p>Training noise (dropout masks, data augmentation) is drawn from such derived seeds rather than
 * from a generator shared by a thread, so that which worker thread processes which sample cannot
 * change a single bit of the result: a sample's noise depends only on its coordinates.
 *
 * <p>The mixing function is SplitMix64's finalizer (the one {@link Rng} uses), applied as a hash
 * combine: {@code mix(a, b) = fmix(fmix(a) + GOLDEN * (b + 1))}. Not cryptographic.
 */
public final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final float TO_UNIT = 1f / (1 << 24);

    private Seeds() {
    }

    /**
     * SplitMix64's output function: a bijection of {@code long} with good avalanche.
     *
     * @param z any value
     * @return the mixed value
     */
    public static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Combines two values into a seed; the order matters.
     *
     * @param a first coordinate (e.g. a seed)
     * @param b second coordinate (e.g. an index)
     * @return the derived seed
     */
    public static long mix(long a, long b) {
        return fmix(fmix(a) + GOLDEN * (b + 1));
    }

    /**
     * @param a first coordinate
     * @param b second coordinate
     * @param c third coordinate
     * @return {@code mix(mix(a, b), c)}
     */
    public static long mix(long a, long b, long c) {
        return mix(mix(a, b), c);
    }

    /**
     * The {@code i}-th uniform float of the stream named by {@code seed}, random-access.
     *
     * @param seed a (derived) seed
     * @param i    index in the stream
     * @return a float in {@code [0, 1)} with 24 random bits
     */
    public static float uniform(long seed, long i) {
        return (fmix(seed + GOLDEN * (i + 1)) >>> 40) * TO_UNIT;
    }
}
