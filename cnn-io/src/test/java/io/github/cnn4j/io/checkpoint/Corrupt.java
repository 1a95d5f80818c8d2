package io.github.cnn4j.io.checkpoint;

/** Re-sealing a checkpoint's checksum after a {@link io.github.cnn4j.io.Corruption}. */
final class Corrupt {
    private Corrupt() {
    }

    /** Recomputes the trailing SHA-256, so that the damage reaches the structural checks. */
    static byte[] reseal(byte[] b) {
        if (b.length < 32) {
            return b;
        }
        byte[] c = b.clone();
        byte[] h = CheckpointFormat.sha256(c, 0, c.length - 32);
        System.arraycopy(h, 0, c, c.length - 32, 32);
        return c;
    }
}
