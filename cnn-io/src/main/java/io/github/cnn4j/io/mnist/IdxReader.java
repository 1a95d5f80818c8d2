package io.github.cnn4j.io.mnist;

import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.ReadableFiles;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), raw or gzip-compressed.
 *
 * <p>Layout: magic {@code 0x00 0x00 <type> <rank>}, then {@code rank} big-endian 32-bit dimensions,
 * then the elements, big-endian, last dimension fastest. Compression is detected from the content
 * (gzip magic {@code 1f 8b}), not from the file name.
 *
 * <p>The whole payload is read with bulk reads into one array. The size the header claims is checked
 * before anything is allocated: against the file length for a raw file (a truncated file or trailing
 * bytes are errors), and for a gzip file against the most that its compressed length can expand to;
 * gzip data is then read in growing chunks, so a lying header cannot make the reader allocate more
 * than the stream really holds (plus at most a factor of two). What a file needs in memory is checked
 * against the {@link io.github.cnn4j.model.MemoryBudget} before it is allocated. Bytes after the
 * gzip data (other than further gzip members) are an error, as they are after a raw file's payload.
 *
 * <p>{@link #read(Path, int)} reads only the first items along the first dimension (the first N
 * images of an images file): the rest of the file is neither read nor decompressed.
 */
public final class IdxReader {
    /** The largest payload this reader accepts, in bytes (the largest Java array). */
    public static final long MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 8;
    /** Deflate cannot expand data by more than this factor (plus a small constant). */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int MIN_CHUNK = 1 << 20;

    private IdxReader() {
    }

    /**
     * Reads one IDX file.
     *
     * @param file a raw or gzip IDX file
     * @return its content
     * @throws FormatException when the magic, header, length or compression is wrong (the message names
     *                         the file, what was expected and what was found)
     * @throws IOException     when the file cannot be read
     */
    public static IdxArray read(Path file) throws IOException {
        return read(file, Integer.MAX_VALUE);
    }

    /**
     * Reads the first items of an IDX file: at most {@code maxItems} along its first dimension. The
     * header is checked as by {@link #read(Path)}; only the items kept are read.
     *
     * @param file     a raw or gzip IDX file
     * @param maxItems the most items to read (for an images file: images), at least 0
     * @return the content, its first dimension at most {@code maxItems}
     * @throws FormatException as {@link #read(Path)}, or when the items do not fit the memory budget
     * @throws IOException     when the file cannot be read, or is not a regular file
     */
    public static IdxArray read(Path file, int maxItems) throws IOException {
        if (maxItems < 0) {
            throw new IllegalArgumentException("maxItems must be >= 0, got " + maxItems);
        }
        ReadableFiles.requireRegular(file, "an IDX file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize >= 2) {
                ByteBuffer head = ByteBuffer.allocate(2);
                readFully(ch, head, 0);
                if ((head.get(0) & 0xFF) == 0x1f && (head.get(1) & 0xFF) == 0x8b) {
                    return readGzip(file, ch, fileSize, maxItems);
                }
            }
            return readRaw(file, ch, fileSize, maxItems);
        }
    }

    /** The dimensions with the first one cut to {@code maxItems}. */
    private static int[] kept(int[] dims, int maxItems) {
        int[] k = dims.clone();
        k[0] = Math.min(k[0], maxItems);
        return k;
    }

    private static void requireMemory(Path file, long bytes, int[] dims, IdxType type) throws FormatException {
        ReadableFiles.requireMemory(file, bytes, describe(dims, type) + " as read from the file");
    }

    private static IdxArray readRaw(Path file, FileChannel ch, long fileSize, int maxItems) throws IOException {
        if (fileSize < 4) {
            throw new FormatException(file, "expected an IDX header (magic 0x00 0x00 type rank), found a file of " + fileSize + " bytes");
        }
        ByteBuffer magic = ByteBuffer.allocate(4);
        readFully(ch, magic, 0);
        Header h = parseMagic(file, magic.array());
        long headerLen = 4L + 4L * h.rank;
        if (fileSize < headerLen) {
            throw new FormatException(file, "truncated header: " + h.rank + " dimensions need " + headerLen + " header bytes, the file has " + fileSize);
        }
        ByteBuffer dimBytes = ByteBuffer.allocate(4 * h.rank);
        readFully(ch, dimBytes, 4);
        int[] dims = parseDims(file, dimBytes.array(), h.rank);
        long claimed = payloadBytes(dims, h.type);
        long available = fileSize - headerLen;
        if (claimed > available) {
            throw new FormatException(file, "truncated: header claims " + describe(dims, h.type) + " = " + size(claimed)
                    + " of data, the file holds " + available + " bytes after its header");
        }
        if (claimed < available) {
            throw new FormatException(file, (available - claimed) + " unexpected bytes after the " + claimed
                    + " data bytes that the header claims (" + describe(dims, h.type) + ")");
        }
        int[] kept = kept(dims, maxItems);
        long keptBytes = payloadBytes(kept, h.type);
        checkMax(file, keptBytes, kept, h.type);
        requireMemory(file, keptBytes, kept, h.type);
        byte[] payload = new byte[(int) keptBytes];
        readFully(ch, ByteBuffer.wrap(payload), headerLen);
        return new IdxArray(h.type, kept, payload);
    }

    private static IdxArray readGzip(Path file, FileChannel ch, long fileSize, int maxItems) throws IOException {
        // ISIZE (uncompressed length mod 2^32) ends a single-member gzip file: a hint for the allocation only.
        long isize = -1;
        if (fileSize >= 18) {
            ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, tail, fileSize - 4);
            isize = tail.getInt(0) & 0xFFFFFFFFL;
        }
        ch.position(0);
        // unlike java.util.zip.GZIPInputStream, rejects bytes after the last gzip member
        try (InputStream in = new StrictGzipInputStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16))) {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4) {
                throw new FormatException(file, "expected an IDX header (magic 0x00 0x00 type rank) inside the gzip data, found "
                        + magic.length + " bytes");
            }
            Header h = parseMagic(file, magic);
            byte[] dimBytes = in.readNBytes(4 * h.rank);
            if (dimBytes.length < 4 * h.rank) {
                throw new FormatException(file, "truncated header: " + h.rank + " dimensions need " + (4 + 4 * h.rank)
                        + " header bytes, the gzip data holds " + (4 + dimBytes.length));
            }
            int[] dims = parseDims(file, dimBytes, h.rank);
            long claimed = payloadBytes(dims, h.type);
            long bound = fileSize * MAX_DEFLATE_RATIO + 1024;
            if (claimed > bound) {
                throw new FormatException(file, "header claims " + describe(dims, h.type) + " = " + size(claimed)
                        + " of data, more than a gzip file of " + fileSize + " bytes can hold (at most " + size(bound) + ")");
            }
            checkMax(file, claimed, dims, h.type);
            long headerLen = 4L + 4L * h.rank;
            int[] kept = kept(dims, maxItems);
            long keptBytes = payloadBytes(kept, h.type);
            requireMemory(file, keptBytes, kept, h.type);
            int initial = (int) Math.min(keptBytes, MIN_CHUNK);
            if (keptBytes == claimed && isize >= 0 && ((headerLen + claimed) & 0xFFFFFFFFL) == isize) {
                initial = (int) claimed;
            }
            byte[] buf = new byte[initial];
            int pos = 0;
            while (pos < keptBytes) {
                if (pos == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(keptBytes, Math.max(2L * buf.length, MIN_CHUNK)));
                }
                int n = in.read(buf, pos, buf.length - pos);
                if (n < 0) {
                    throw new FormatException(file, "truncated: header claims " + describe(dims, h.type) + " = " + size(claimed)
                            + " of data, the gzip data ends after " + pos);
                }
                pos += n;
            }
            if (keptBytes < claimed) {
                return new IdxArray(h.type, kept, buf); // the rest is not needed: not read
            }
            int extra = in.read(); // also makes the stream check the trailer's CRC and length, and what follows it
            if (extra >= 0) {
                throw new FormatException(file, "unexpected data after the " + claimed + " data bytes that the header claims ("
                        + describe(dims, h.type) + ")");
            }
            return new IdxArray(h.type, dims, buf);
        } catch (FormatException e) {
            throw e;
        } catch (IOException e) {
            throw new FormatException(file, "corrupt gzip data: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private record Header(IdxType type, int rank) {
    }

    private static Header parseMagic(Path file, byte[] m) throws FormatException {
        int type = m[2] & 0xFF;
        int rank = m[3] & 0xFF;
        if (m[0] != 0 || m[1] != 0) {
            throw new FormatException(file, String.format(Locale.ROOT,
                    "wrong magic number: expected 0x00 0x00 <type> <rank>, found 0x%02x 0x%02x 0x%02x 0x%02x (not an IDX file)",
                    m[0] & 0xFF, m[1] & 0xFF, type, rank));
        }
        IdxType t = IdxType.ofCode(type);
        if (t == null) {
            throw new FormatException(file, String.format(Locale.ROOT,
                    "unknown IDX element type 0x%02x, expected one of 0x08 0x09 0x0b 0x0c 0x0d 0x0e", type));
        }
        if (rank == 0) {
            throw new FormatException(file, "IDX header declares 0 dimensions, expected at least 1");
        }
        return new Header(t, rank);
    }

    private static int[] parseDims(Path file, byte[] b, int rank) throws FormatException {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            long d = bb.getInt(4 * i) & 0xFFFFFFFFL;
            if (d > Integer.MAX_VALUE) {
                throw new FormatException(file, "dimension " + i + " is " + d + ", more than this reader supports (" + Integer.MAX_VALUE + ")");
            }
            dims[i] = (int) d;
        }
        return dims;
    }

    /** Saturates at Long.MAX_VALUE so hostile headers cannot overflow. */
    private static long payloadBytes(int[] dims, IdxType type) {
        long n = type.bytes();
        for (int d : dims) {
            if (d == 0) {
                return 0;
            }
        }
        for (int d : dims) {
            if (n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    private static void checkMax(Path file, long claimed, int[] dims, IdxType type) throws FormatException {
        if (claimed > MAX_PAYLOAD_BYTES) {
            throw new FormatException(file, "header claims " + describe(dims, type) + " = " + size(claimed)
                    + " of data, more than the " + MAX_PAYLOAD_BYTES + " bytes one array can hold");
        }
    }

    private static String describe(int[] dims, IdxType type) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : " x ").append(dims[i]);
        }
        return sb.append(' ').append(type.name().toLowerCase(Locale.ROOT).replace('_', ' ')).toString();
    }

    private static String size(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than 2^63 bytes" : bytes + " bytes";
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new EOFException("file shrank while being read");
            }
            pos += n;
        }
    }
}
