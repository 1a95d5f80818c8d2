package io.github.cnn4j.io.mnist;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The content of one IDX file: element type, dimensions and the raw big-endian payload.
 */
public final class IdxArray {
    private final IdxType type;
    private final int[] dims;
    private final byte[] payload;

    /**
     * @param type    element type
     * @param dims    dimensions, outermost first
     * @param payload raw elements, big-endian (kept, not copied); {@code product(dims) * type.bytes()} bytes
     */
    public IdxArray(IdxType type, int[] dims, byte[] payload) {
        long n = type.bytes();
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n != payload.length) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " of " + type + " need " + n
                    + " bytes, got " + payload.length);
        }
        this.type = type;
        this.dims = dims.clone();
        this.payload = payload;
    }

    /** @return the element type */
    public IdxType type() {
        return type;
    }

    /** @return number of dimensions */
    public int rank() {
        return dims.length;
    }

    /**
     * @param i dimension index, 0 = outermost
     * @return its extent
     */
    public int dim(int i) {
        return dims[i];
    }

    /** @return a copy of the dimensions */
    public int[] dims() {
        return dims.clone();
    }

    /** @return number of elements */
    public int count() {
        return payload.length / type.bytes();
    }

    /**
     * The raw payload, shared, not copied: for {@link IdxType#UNSIGNED_BYTE} read element {@code i} as
     * {@code payload()[i] & 0xFF}.
     *
     * @return the big-endian elements
     */
    public byte[] payload() {
        return payload;
    }

    /** @return every element converted to float (integers exactly, doubles rounded) */
    public float[] toFloatArray() {
        int n = count();
        float[] out = new float[n];
        ByteBuffer bb = ByteBuffer.wrap(payload).order(ByteOrder.BIG_ENDIAN);
        switch (type) {
            case UNSIGNED_BYTE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = payload[i] & 0xFF;
                }
            }
            case SIGNED_BYTE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = payload[i];
                }
            }
            case SHORT -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bb.getShort(2 * i);
                }
            }
            case INT -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bb.getInt(4 * i);
                }
            }
            case FLOAT -> bb.asFloatBuffer().get(out);
            case DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) bb.getDouble(8 * i);
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
        return out;
    }

    /**
     * @return every element as an int
     * @throws IllegalStateException for {@link IdxType#FLOAT} and {@link IdxType#DOUBLE}
     */
    public int[] toIntArray() {
        int n = count();
        int[] out = new int[n];
        ByteBuffer bb = ByteBuffer.wrap(payload).order(ByteOrder.BIG_ENDIAN);
        switch (type) {
            case UNSIGNED_BYTE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = payload[i] & 0xFF;
                }
            }
            case SIGNED_BYTE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = payload[i];
                }
            }
            case SHORT -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bb.getShort(2 * i);
                }
            }
            case INT -> bb.asIntBuffer().get(out);
            default -> throw new IllegalStateException("IDX elements of type " + type + " are not integers");
        }
        return out;
    }

    @Override
    public String toString() {
        return "IdxArray(" + type + " " + Arrays.toString(dims) + ")";
    }
}
