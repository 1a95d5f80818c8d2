package io.github.cnn4j.tensor;

import java.util.Arrays;

/**
 * The immutable shape of one sample: {@code (channels, height, width)} for images, {@code (n)} for
 * vectors. Batch size is never part of a shape; a {@link Tensor} carries it separately.
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one dimension");
        }
        long s = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("every dimension must be positive, got " + Arrays.toString(dims));
            }
            s *= d;
            if (s > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
            }
        }
        this.dims = dims;
        this.size = (int) s;
    }

    /**
     * @param dims the dimensions, each positive
     * @return the shape
     */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** @return number of dimensions */
    public int rank() {
        return dims.length;
    }

    /**
     * @param i dimension index
     * @return the extent of dimension {@code i}
     */
    public int dim(int i) {
        return dims[i];
    }

    /** @return a copy of the dimensions */
    public int[] dims() {
        return dims.clone();
    }

    /** @return number of elements of one sample */
    public int size() {
        return size;
    }

    /** @return channels of a rank-3 shape */
    public int channels() {
        requireRank(3);
        return dims[0];
    }

    /** @return height of a rank-3 shape */
    public int height() {
        requireRank(3);
        return dims[1];
    }

    /** @return width of a rank-3 shape */
    public int width() {
        requireRank(3);
        return dims[2];
    }

    private void requireRank(int r) {
        if (dims.length != r) {
            throw new IllegalStateException("shape " + this + " is not of rank " + r);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** @return e.g. {@code (6, 24, 24)} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
