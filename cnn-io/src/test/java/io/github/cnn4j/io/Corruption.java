package io.github.cnn4j.io;

import java.util.Arrays;
import java.util.Random;

/**
 * One corruption of a file's bytes for the corruption properties, reproducible from its fields:
 * {@code kind} 0 truncates, 1 flips bits, 2 overwrites a run, 3 inserts bytes, 4 deletes a run;
 * {@code where} places it (biased to the start of the file when {@code front}); {@code seed} and
 * {@code count} drive the random bytes.
 *
 * @param kind  which corruption, 0 to 4
 * @param where position as a fraction of the length, in [0, 1)
 * @param front whether to bias the position to the start of the file
 * @param seed  seed of the random bytes
 * @param count how many bytes or flips
 */
public record Corruption(int kind, double where, boolean front, long seed, int count) {
    /**
     * @param b the original bytes (not modified)
     * @return a corrupted copy
     */
    public byte[] apply(byte[] b) {
        Random r = new Random(seed);
        double w = front ? Math.pow(where, 4) : where; // front: mostly the start of the file (headers, configs, state)
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
