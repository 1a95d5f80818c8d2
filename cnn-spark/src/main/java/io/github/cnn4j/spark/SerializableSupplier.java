package io.github.cnn4j.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A factory that Spark can ship to executors: losses and augmentations are not serializable, so
 * every executor makes its own from this (e.g. {@code CrossEntropy::new}).
 *
 * @param <T> what it makes
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
