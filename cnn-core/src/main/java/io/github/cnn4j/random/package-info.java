/**
 * A small, seedable random number generator whose whole state is one {@code long}, so that runs
 * are reproducible and can be checkpointed and resumed exactly.
 */
package io.github.cnn4j.random;
