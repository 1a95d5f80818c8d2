/**
 * A small, seedable random number generator whose whole state is one {@code long}, so that runs
 * are reproducible and can be checkpointed and resumed exactly, and
 * {@link io.github.cnn4j.random.Seeds}, which derives per-sample seeds (dropout masks, augmentation)
 * from coordinates such as (seed, epoch, sample position) without any generator state.
 */
package io.github.cnn4j.random;
