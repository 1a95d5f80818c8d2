/**
 * {@link io.github.cnn4j.data.Dataset}: labelled images in one contiguous float32 array, with
 * cheap views for subsets and shuffled orders. cnn-io fills it from MNIST files.
 */
package io.github.cnn4j.data;
