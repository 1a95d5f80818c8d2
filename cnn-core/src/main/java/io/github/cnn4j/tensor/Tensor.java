package io.github.cnn4j.tensor;

import org.ejml.data.FMatrixRMaj;

/**
 * A batch of samples of one {@link Shape}, stored contiguously in a {@code float[]} that starts at
 * index 0: sample {@code n} occupies {@code [n * shape.size(), (n + 1) * shape.size())}.
 *
 * <p>A tensor has a fixed capacity (the largest batch it can hold) and a current batch size that can
 * change without reallocation, so workspaces are allocated once and reused for every step. It also
 * exposes its data as an EJML row-major matrix of {@code batch x shape.size()} sharing the same array.
 *
 * <p>Not thread-safe: a tensor belongs to one workspace, which belongs to one thread at a time.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;
    private final int capacity;
    private final FMatrixRMaj matrix;
    private int batch;

    /**
     * @param shape    shape of one sample
     * @param capacity the largest batch this tensor will hold
     */
    public Tensor(Shape shape, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        long n = (long) shape.size() * capacity;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + capacity + " x " + shape + " does not fit in one array");
        }
        this.shape = shape;
        this.capacity = capacity;
        this.data = new float[(int) n];
        this.matrix = FMatrixRMaj.wrap(capacity, shape.size(), data);
        this.batch = capacity;
    }

    /** @return the shape of one sample */
    public Shape shape() {
        return shape;
    }

    /** @return the backing array (modified by writers; length is {@code capacity * shape.size()}) */
    public float[] data() {
        return data;
    }

    /** @return the current number of samples */
    public int batch() {
        return batch;
    }

    /** @return the largest batch this tensor can hold */
    public int capacity() {
        return capacity;
    }

    /**
     * Sets the current batch size; no allocation.
     *
     * @param n number of samples, 1 to capacity
     * @return this
     */
    public Tensor batch(int n) {
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("batch " + n + " outside 1.." + capacity);
        }
        this.batch = n;
        return this;
    }

    /** @return number of valid elements, {@code batch * shape.size()} */
    public int length() {
        return batch * shape.size();
    }

    /**
     * The data as an EJML matrix of {@code batch x shape.size()}, sharing this tensor's array.
     *
     * @return the matrix view (its row count follows {@link #batch()})
     */
    public FMatrixRMaj matrix() {
        matrix.numRows = batch;
        matrix.numCols = shape.size();
        return matrix;
    }
}
