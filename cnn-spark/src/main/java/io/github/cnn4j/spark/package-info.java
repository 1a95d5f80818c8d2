/**
 * cnn4j on Apache Spark: {@link io.github.cnn4j.spark.SparkScorer} scores DataFrames of images or
 * feature arrays with a broadcast model (Java API and SQL functions), and
 * {@link io.github.cnn4j.spark.SparkGradients} computes the {@link io.github.cnn4j.train.Trainer}'s steps on
 * the executors, so that a distributed run gives the single-machine weights bit for bit. Spark is a
 * {@code provided} dependency. See docs/distributed.md.
 */
package io.github.cnn4j.spark;
