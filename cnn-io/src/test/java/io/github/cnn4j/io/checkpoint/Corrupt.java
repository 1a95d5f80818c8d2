package io.github.cnn4j.io.checkpoint;

import java.util.Arrays;
import java.util.Random;

/** Corruptions of file bytes, and re-sealing a checkpoint's checksum after one. */
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

    /** One corruption of a byte array, reproducible from its fields. */
    record Corruption(int kind, double where, boolean front, long seed, int count) {
        byte[] apply(byte[] b) {
            Random r = new Random(seed);
            double w = front ? Math.pow(where, 4) : where; // front: mostly the header and the state section
            int pos = (int) Math.min(b.length - 1, Math.floor(w * b.length));
            switch (kind) {
                case 0 -> {
                    return Arrays.copyOf(b, pos); // truncation
                }
                case 1 -> {
                    byte[] c = b.clone();
                    for (int i = 0; i < count; i++) {
                        int p = i == 0 ? pos : r.nextInt(b.length);
                        c[p] ^= (byte) (1 + r.nextInt(255)); // flipped bits
                    }
                    return c;
                }
                case 2 -> {
                    byte[] c = b.clone();
                    for (int i = 0; i < count && pos + i < c.length; i++) {
                        c[pos + i] = (byte) r.nextInt(256); // overwritten run
                    }
                    return c;
                }
                case 3 -> {
                    byte[] ins = new byte[count];
                    r.nextBytes(ins);
                    byte[] c = new byte[b.length + count];
                    System.arraycopy(b, 0, c, 0, pos);
                    System.arraycopy(ins, 0, c, pos, count);
                    System.arraycopy(b, pos, c, pos + count, b.length - pos);
                    return c; // inserted bytes
                }
                default -> {
                    int n = Math.min(count, b.length - pos);
                    byte[] c = new byte[b.length - n];
                    System.arraycopy(b, 0, c, 0, pos);
                    System.arraycopy(b, pos + n, c, pos, b.length - pos - n);
                    return c; // deleted run
                }
            }
        }
    }
}
