/**
 * {@link io.github.cnn4j.data.Dataset}: labelled images in one contiguous float32 array, with
 * cheap views for subsets and shuffled orders. cnn-io fills it from MNIST files.
 * {@link io.github.cnn4j.data.Augmentation}s such as {@link io.github.cnn4j.data.RandomAffine}
 * transform training batches, seeded per sample.
 */
package io.github.cnn4j.data;
