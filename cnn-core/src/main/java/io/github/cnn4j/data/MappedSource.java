package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Samples stored back to back in a file, memory-mapped: the operating system pages them in and out,
 * so a data set may be far larger than the Java heap (only the labels are on the heap). Samples are
 * unsigned bytes (scaled to {@code [0, 1]} by {@code v / 255}, as the MNIST loader does) or
 * little-endian float32. The file is mapped in segments of whole samples below 2 GiB each.
 *
 * <p>The file must not change while mapped; cnn-io's {@code ImageCache} writes such files
 * atomically and checks their checksum before mapping them.
 */
public final class MappedSource implements SampleSource {
    /** How samples are stored. */
    public enum Encoding {
        /** One unsigned byte per value, read as {@code v / 255f}. */
        UINT8(1),
        /** Four bytes per value, IEEE float32 little-endian. */
        FLOAT32(4);

        private final int bytes;

        Encoding(int bytes) {
            this.bytes = bytes;
        }

        /** @return bytes per value */
        public int bytes() {
            return bytes;
        }
    }

    private static final float[] SCALE = new float[256];
    private static final long MAX_SEGMENT = 1L << 30;

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private final Path file;
    private final Shape shape;
    private final Encoding encoding;
    private final int[] labels;
    private final ClassNames names;
    private final long contentHash;
    private final MappedByteBuffer[] segments;
    private final int perSegment;
    private final int sampleBytes;

    /**
     * Maps the samples.
     *
     * @param file        the file
     * @param offset      byte offset of the first sample
     * @param shape       shape of one sample
     * @param encoding    how values are stored
     * @param labels      one label per sample (copied); their count is the number of samples
     * @param names       class names
     * @param contentHash identity of the content, e.g. the file's checksum
     * @throws IOException when the file is shorter than the samples need or cannot be mapped
     */
    public MappedSource(Path file, long offset, Shape shape, Encoding encoding, int[] labels, ClassNames names, long contentHash)
            throws IOException {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new IllegalArgumentException(file + ": label of sample " + i + " is " + labels[i] + ", expected 0.." + (names.size() - 1));
            }
        }
        this.file = file;
        this.shape = shape;
        this.encoding = encoding;
        this.labels = Arrays.copyOf(labels, labels.length);
        this.names = names;
        this.contentHash = contentHash;
        this.sampleBytes = Math.multiplyExact(shape.size(), encoding.bytes());
        this.perSegment = (int) Math.max(1, Math.min(Integer.MAX_VALUE, MAX_SEGMENT / sampleBytes));
        int n = labels.length;
        int count = n == 0 ? 0 : (n - 1) / perSegment + 1;
        this.segments = new MappedByteBuffer[count];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long need = offset + (long) n * sampleBytes;
            if (ch.size() < need) {
                throw new IOException(file + ": expected at least " + need + " bytes for " + n + " samples of " + shape + ", found " + ch.size());
            }
            for (int s = 0; s < count; s++) {
                int inSeg = Math.min(perSegment, n - s * perSegment);
                MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, offset + (long) s * perSegment * sampleBytes, (long) inSeg * sampleBytes);
                b.order(ByteOrder.LITTLE_ENDIAN);
                segments[s] = b;
            }
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public ClassNames classNames() {
        return names;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public void copySample(int i, float[] dst, int off) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("sample " + i + " of " + labels.length);
        }
        MappedByteBuffer b = segments[i / perSegment];
        int pos = (i % perSegment) * sampleBytes;
        int n = shape.size();
        try {
            if (encoding == Encoding.UINT8) {
                for (int k = 0; k < n; k++) {
                    dst[off + k] = SCALE[b.get(pos + k) & 0xFF];
                }
            } else {
                for (int k = 0; k < n; k++) {
                    dst[off + k] = b.getFloat(pos + 4 * k);
                }
            }
        } catch (InternalError e) {
            // what the JVM throws when a mapped page cannot be read (file truncated underneath)
            throw new UncheckedIOException(new IOException(file + ": cannot read sample " + i + ": " + e.getMessage(), e));
        }
    }

    @Override
    public long contentHash() {
        return contentHash;
    }

    /** @return the mapped file */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "MappedSource(" + file + ", " + labels.length + " x " + shape + " " + encoding + ")";
    }
}
