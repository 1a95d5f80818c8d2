package io.github.cnn4j.io.mnist;

/**
 * The element types of the IDX format (third byte of the magic number). Multi-byte values are
 * big-endian in the file.
 */
public enum IdxType {
    /** {@code 0x08}: unsigned byte (MNIST's images and labels). */
    UNSIGNED_BYTE(0x08, 1),
    /** {@code 0x09}: signed byte. */
    SIGNED_BYTE(0x09, 1),
    /** {@code 0x0B}: 16-bit signed integer. */
    SHORT(0x0B, 2),
    /** {@code 0x0C}: 32-bit signed integer. */
    INT(0x0C, 4),
    /** {@code 0x0D}: 32-bit IEEE float. */
    FLOAT(0x0D, 4),
    /** {@code 0x0E}: 64-bit IEEE double. */
    DOUBLE(0x0E, 8);

    private final int code;
    private final int bytes;

    IdxType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** @return the type code in the magic number */
    public int code() {
        return code;
    }

    /** @return bytes per element */
    public int bytes() {
        return bytes;
    }

    /**
     * @param code a type code
     * @return its type, or {@code null} when the code is not an IDX type
     */
    public static IdxType ofCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
