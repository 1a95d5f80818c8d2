package io.github.cnn4j.data;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import java.util.Arrays;

/**
 * N labelled samples of one {@link Shape}, stored in one contiguous {@code float[]} (sample after
 * sample) with an {@code int[]} of labels in {@code [0, classes)}.
 *
 * <p>Subsets and reorderings are views: they share the storage and hold only an index array.
 * The storage is never modified by this class; a dataset is safe to read from many threads.
 */
public final class Dataset {
    private final float[] storage;
    private final int[] labels;
    private final Shape shape;
    private final int classes;
    private final int[] index; // view position -> stored sample; null = identity
    private final int size;

    /**
     * @param images  {@code n * shape.size()} values, sample after sample (kept, not copied)
     * @param labels  {@code n} labels in {@code [0, classes)} (kept, not copied)
     * @param shape   shape of one sample
     * @param classes number of classes
     * @throws IllegalArgumentException when the sizes disagree, a label is out of range or a value is not finite
     */
    public Dataset(float[] images, int[] labels, Shape shape, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        if ((long) labels.length * shape.size() != images.length) {
            throw new IllegalArgumentException(labels.length + " labels need " + (long) labels.length * shape.size()
                    + " image values of shape " + shape + ", got " + images.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label of sample " + i + " is " + labels[i] + ", expected 0.." + (classes - 1));
            }
        }
        for (int i = 0; i < images.length; i++) {
            if (!Float.isFinite(images[i])) {
                throw new IllegalArgumentException("value " + (i % shape.size()) + " of sample " + (i / shape.size()) + " is " + images[i]);
            }
        }
        this.storage = images;
        this.labels = labels;
        this.shape = shape;
        this.classes = classes;
        this.index = null;
        this.size = labels.length;
    }

    private Dataset(Dataset base, int[] index) {
        this.storage = base.storage;
        this.labels = base.labels;
        this.shape = base.shape;
        this.classes = base.classes;
        this.index = index;
        this.size = index.length;
    }

    /** @return number of samples */
    public int size() {
        return size;
    }

    /** @return shape of one sample */
    public Shape shape() {
        return shape;
    }

    /** @return number of classes */
    public int classes() {
        return classes;
    }

    private int stored(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("sample " + i + " of " + size);
        }
        return index == null ? i : index[i];
    }

    /**
     * @param i sample index
     * @return its label
     */
    public int label(int i) {
        return labels[stored(i)];
    }

    /**
     * Copies one sample.
     *
     * @param i   sample index
     * @param dst destination (modified: {@code shape.size()} values from {@code off})
     * @param off offset in {@code dst}
     */
    public void copyImage(int i, float[] dst, int off) {
        System.arraycopy(storage, stored(i) * shape.size(), dst, off, shape.size());
    }

    /**
     * @param i sample index
     * @return a copy of the sample
     */
    public float[] image(int i) {
        float[] out = new float[shape.size()];
        copyImage(i, out, 0);
        return out;
    }

    /**
     * Copies {@code n} consecutive samples and labels, starting at {@code from}.
     *
     * @param from      first sample
     * @param n         number of samples
     * @param images    destination (modified: {@code n * shape.size()} values from 0)
     * @param labelsOut destination labels (modified: {@code n} values from 0)
     */
    public void copyBatch(int from, int n, float[] images, int[] labelsOut) {
        int s = shape.size();
        if (index == null) {
            if (from < 0 || from + n > size) {
                throw new IndexOutOfBoundsException("samples " + from + ".." + (from + n - 1) + " of " + size);
            }
            System.arraycopy(storage, from * s, images, 0, n * s);
            System.arraycopy(labels, from, labelsOut, 0, n);
        } else {
            for (int k = 0; k < n; k++) {
                int j = stored(from + k);
                System.arraycopy(storage, j * s, images, k * s, s);
                labelsOut[k] = labels[j];
            }
        }
    }

    /**
     * @param from first sample, inclusive
     * @param to   last sample, exclusive
     * @return a view of samples {@code [from, to)}
     */
    public Dataset subset(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("subset [" + from + ", " + to + ") of " + size);
        }
        int[] idx = new int[to - from];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = stored(from + k);
        }
        return new Dataset(this, idx);
    }

    /**
     * @param positions sample indices of this dataset, in the wanted order (repeats allowed)
     * @return a view of those samples
     */
    public Dataset select(int[] positions) {
        int[] idx = new int[positions.length];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = stored(positions[k]);
        }
        return new Dataset(this, idx);
    }

    /**
     * @param rng random source (advanced)
     * @return a view in a uniformly shuffled order (Fisher-Yates)
     */
    public Dataset shuffled(Rng rng) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return select(order);
    }

    /** @return how many samples each class has */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int i = 0; i < size; i++) {
            counts[label(i)]++;
        }
        return counts;
    }

    /** @return a copy of all labels in view order */
    public int[] labels() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = label(i);
        }
        return out;
    }

    /**
     * A 64-bit hash of the shape, the class count and every sample and label in view order: equal
     * datasets have equal fingerprints, and different ones almost surely differ. Used to refuse
     * resuming training on other data than the checkpoint was made with. Reads every value, once.
     *
     * @return the fingerprint
     */
    public long fingerprint() {
        long h = 0xCBF29CE484222325L;
        for (int d : shape.dims()) {
            h = (h ^ d) * 0x100000001B3L;
        }
        h = (h ^ classes) * 0x100000001B3L;
        h = (h ^ size) * 0x100000001B3L;
        int s = shape.size();
        for (int i = 0; i < size; i++) {
            int j = index == null ? i : index[i];
            h = (h ^ labels[j]) * 0x100000001B3L;
            for (int k = j * s, end = k + s; k < end; k++) {
                h = (h ^ Float.floatToRawIntBits(storage[k])) * 0x100000001B3L;
            }
        }
        return h ^ (h >>> 29);
    }

    @Override
    public String toString() {
        return "Dataset(" + size + " x " + shape + ", " + classes + " classes, counts " + Arrays.toString(classCounts()) + ")";
    }
}
