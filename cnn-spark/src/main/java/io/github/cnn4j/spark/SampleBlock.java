package io.github.cnn4j.spark;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.tensor.Shape;
import java.io.Serializable;

/**
 * Samples of one partition, as shipped and cached by Spark: {@code keys[k]} is the sample's index in
 * the training set (the base partitions) or its position in the epoch's order (the epoch partitions,
 * sorted ascending).
 */
final class SampleBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final int[] keys;
    final float[] images;
    final int[] labels;
    final int[] dims;
    final int classes;
    private transient Dataset dataset;

    SampleBlock(int[] keys, float[] images, int[] labels, int[] dims, int classes) {
        this.keys = keys;
        this.images = images;
        this.labels = labels;
        this.dims = dims;
        this.classes = classes;
    }

    /** @return the samples as a dataset, made once per cached block */
    synchronized Dataset dataset() {
        if (dataset == null) {
            dataset = new Dataset(images, labels, Shape.of(dims), classes);
        }
        return dataset;
    }

    int size() {
        return keys.length;
    }

    int sampleSize() {
        int s = 1;
        for (int d : dims) {
            s *= d;
        }
        return s;
    }

    /** @return the index of the first key {@code >= key} (keys sorted) */
    int lowerBound(int key) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
