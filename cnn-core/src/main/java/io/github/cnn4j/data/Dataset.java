package io.github.cnn4j.data;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import java.util.Arrays;

/**
 * N labelled samples of one {@link Shape} with labels in {@code [0, classes)} and their
 * {@link ClassNames}: what the trainer, {@code Sequential.predict} and {@code Evaluation} read.
 *
 * <p>The samples are either in one contiguous {@code float[]} (sample after sample, the
 * constructors) or in any {@link SampleSource} ({@link #of(SampleSource)}: memory-mapped files,
 * lazily decoded images, transformed or prefetched sources). Subsets and reorderings are views:
 * they share the storage and hold only an index array. The storage is never modified by this
 * class; a dataset is safe to read from many threads. A dataset is itself a {@link SampleSource}.
 */
public final class Dataset implements SampleSource {
    private final float[] storage; // null when the samples come from a source
    private final SampleSource source; // null when the samples are in storage
    private final int[] labels;
    private final Shape shape;
    private final int classes;
    private final ClassNames names;
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
        this(images, labels, shape, ClassNames.numbered(checkClasses(classes)));
    }

    private static int checkClasses(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        return classes;
    }

    /**
     * @param images {@code n * shape.size()} values, sample after sample (kept, not copied)
     * @param labels {@code n} labels in {@code [0, names.size())} (kept, not copied)
     * @param shape  shape of one sample
     * @param names  the class names, by label
     * @throws IllegalArgumentException when the sizes disagree, a label is out of range or a value is not finite
     */
    public Dataset(float[] images, int[] labels, Shape shape, ClassNames names) {
        int classes = names.size();
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
        this.source = null;
        this.labels = labels;
        this.shape = shape;
        this.classes = classes;
        this.names = names;
        this.index = null;
        this.size = labels.length;
    }

    private Dataset(SampleSource source, int[] labels) {
        this.storage = null;
        this.source = source;
        this.labels = labels;
        this.shape = source.shape();
        this.names = source.classNames();
        this.classes = names.size();
        this.index = null;
        this.size = labels.length;
    }

    private Dataset(Dataset base, int[] index, ClassNames names) {
        this.storage = base.storage;
        this.source = base.source;
        this.labels = base.labels;
        this.shape = base.shape;
        this.classes = base.classes;
        this.names = names;
        this.index = index;
        this.size = index == null ? base.size : index.length;
    }

    private Dataset(Dataset base, int[] index) {
        this(base, index, base.names);
    }

    /**
     * A dataset reading its samples from a source (a dataset is returned as it is). The labels are
     * read once, here; the samples whenever they are copied. Values are not checked for finiteness
     * here (that would read everything); sources that decode files check what they decode.
     *
     * @param source the samples
     * @return a dataset over all of them
     * @throws IllegalArgumentException when a label is out of range
     */
    public static Dataset of(SampleSource source) {
        if (source instanceof Dataset d) {
            return d;
        }
        int n = source.size();
        int k = source.classes();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int y = source.label(i);
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException(source + ": label of sample " + i + " is " + y + ", expected 0.." + (k - 1));
            }
            labels[i] = y;
        }
        return new Dataset(source, labels);
    }

    /**
     * @param classNames names of the classes, by label: exactly {@link #classes()} of them
     * @return a view of the same samples with these class names
     */
    public Dataset withClassNames(ClassNames classNames) {
        if (classNames.size() != classes) {
            throw new IllegalArgumentException(classes + " classes need " + classes + " names, got " + classNames.size() + ": " + classNames);
        }
        return new Dataset(this, index, classNames);
    }

    /** @return the class names, by label ({@code "0", "1", ...} unless given) */
    @Override
    public ClassNames classNames() {
        return names;
    }

    /** @return whether the samples are in one {@code float[]} on the heap (not in a {@link SampleSource}) */
    public boolean inMemory() {
        return storage != null;
    }

    /** @return number of samples */
    @Override
    public int size() {
        return size;
    }

    /** @return shape of one sample */
    @Override
    public Shape shape() {
        return shape;
    }

    /** @return number of classes */
    @Override
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
    @Override
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
        read(stored(i), dst, off);
    }

    /** Same as {@link #copyImage}. */
    @Override
    public void copySample(int i, float[] dst, int off) {
        copyImage(i, dst, off);
    }

    private void read(int storedIndex, float[] dst, int off) {
        if (storage != null) {
            System.arraycopy(storage, storedIndex * shape.size(), dst, off, shape.size());
        } else {
            source.copySample(storedIndex, dst, off);
        }
    }

    /**
     * Ahead of the source's reads: the samples after {@code [from, from + n)} are probably next.
     */
    private void hintAfter(int from, int n) {
        if (source != null && from + n < size) {
            source.prefetch(index, from + n, size);
        }
    }

    /** Passes the hint on to the source, in its positions. */
    @Override
    public void prefetch(int[] positions, int from, int to) {
        if (source == null) {
            return;
        }
        if (positions == null) {
            source.prefetch(index, from, to);
            return;
        }
        int end = Math.min(to, from + 4096);
        int[] mapped = new int[Math.max(0, end - from)];
        for (int k = from; k < end; k++) {
            mapped[k - from] = stored(positions[k]);
        }
        source.prefetch(mapped, 0, mapped.length);
    }

    /** Same as {@link #fingerprint()}. */
    @Override
    public long contentHash() {
        return fingerprint();
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
        if (index == null && storage != null) {
            if (from < 0 || from + n > size) {
                throw new IndexOutOfBoundsException("samples " + from + ".." + (from + n - 1) + " of " + size);
            }
            System.arraycopy(storage, from * s, images, 0, n * s);
            System.arraycopy(labels, from, labelsOut, 0, n);
        } else {
            for (int k = 0; k < n; k++) {
                int j = stored(from + k);
                read(j, images, k * s);
                labelsOut[k] = labels[j];
            }
            hintAfter(from, n);
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
     * resuming training on other data than the checkpoint was made with. Reads every value, once;
     * a dataset over a {@link SampleSource} hashes the source's {@link SampleSource#contentHash()}
     * and the stored positions instead, reading no sample.
     *
     * @return the fingerprint
     */
    public long fingerprint() {
        if (storage == null) {
            return sourceFingerprint();
        }
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

    /** The source's content hash and every label and stored position in view order (reads no sample). */
    private long sourceFingerprint() {
        long h = 0xCBF29CE484222325L;
        for (int d : shape.dims()) {
            h = (h ^ d) * 0x100000001B3L;
        }
        h = (h ^ classes) * 0x100000001B3L;
        h = (h ^ size) * 0x100000001B3L;
        h = (h ^ source.contentHash()) * 0x100000001B3L;
        for (int i = 0; i < size; i++) {
            int j = index == null ? i : index[i];
            h = (h ^ labels[j]) * 0x100000001B3L;
            h = (h ^ j) * 0x100000001B3L;
        }
        return h ^ (h >>> 29);
    }

    @Override
    public String toString() {
        return "Dataset(" + size + " x " + shape + ", " + classes + " classes" + (names.isNumbered() ? "" : " " + names)
                + ", counts " + Arrays.toString(classCounts()) + (source == null ? "" : ", from " + source) + ")";
    }
}
