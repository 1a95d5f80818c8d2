package io.github.cnn4j.io.mnist;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses gzip data (RFC 1952) of one or more members with the JDK's {@link Inflater}, and,
 * unlike {@link java.util.zip.GZIPInputStream}, refuses bytes after the last member that are not
 * another member: {@code GZIPInputStream} silently stops at them, so a file with trailing garbage
 * would pass as valid. Each member's CRC-32 and length (ISIZE) are checked.
 */
final class StrictGzipInputStream extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final PushbackInputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[1 << 16];
    private int bufLen;
    private long memberBytes;
    private boolean eof;

    /**
     * @param raw the compressed bytes (read, not closed until this stream is)
     * @throws IOException when they do not start with a gzip header
     */
    StrictGzipInputStream(InputStream raw) throws IOException {
        this.in = new PushbackInputStream(raw, buf.length);
        readHeader();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!eof) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("invalid deflate data: " + e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                return n;
            }
            if (inflater.finished()) {
                int rest = inflater.getRemaining();
                if (rest > 0) {
                    in.unread(buf, bufLen - rest, rest);
                }
                readTrailer();
                eof = !nextMember();
            } else if (inflater.needsInput()) {
                bufLen = in.read(buf);
                if (bufLen < 0) {
                    throw new EOFException("the gzip data ends before the end of its compressed block");
                }
                inflater.setInput(buf, 0, bufLen);
            } else {
                throw new ZipException("the deflate data asks for a preset dictionary, which gzip does not use");
            }
        }
        return -1;
    }

    /** @return whether another member follows (its header read); false at the end of the input */
    private boolean nextMember() throws IOException {
        int next = in.read();
        if (next < 0) {
            return false;
        }
        in.unread(next);
        if (next != 0x1F) {
            throw new ZipException("unexpected bytes after the end of the gzip data (Garbage after a valid .gz stream)");
        }
        readHeader();
        inflater.reset();
        crc.reset();
        memberBytes = 0;
        return true;
    }

    private void readHeader() throws IOException {
        byte[] h = readN(10, "gzip header");
        if ((h[0] & 0xFF) != 0x1F || (h[1] & 0xFF) != 0x8B) {
            throw new ZipException("not gzip data: expected the magic bytes 1f 8b");
        }
        if (h[2] != 8) {
            throw new ZipException("unsupported gzip compression method " + (h[2] & 0xFF) + " (expected 8, deflate)");
        }
        int flags = h[3] & 0xFF;
        if ((flags & FEXTRA) != 0) {
            byte[] x = readN(2, "gzip extra field length");
            readN((x[0] & 0xFF) | (x[1] & 0xFF) << 8, "gzip extra field");
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated("gzip file name");
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated("gzip comment");
        }
        if ((flags & FHCRC) != 0) {
            readN(2, "gzip header CRC");
        }
    }

    private void readTrailer() throws IOException {
        byte[] t = readN(8, "gzip trailer");
        long storedCrc = littleEndian(t, 0);
        long storedSize = littleEndian(t, 4);
        if (storedCrc != crc.getValue()) {
            throw new ZipException("CRC-32 mismatch: the trailer says " + Long.toHexString(storedCrc) + ", the data gives "
                    + Long.toHexString(crc.getValue()));
        }
        if (storedSize != (memberBytes & 0xFFFFFFFFL)) {
            throw new ZipException("length mismatch: the trailer says " + storedSize + " bytes, the data holds " + memberBytes);
        }
    }

    private static long littleEndian(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    private byte[] readN(int n, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("truncated " + what + ": expected " + n + " bytes, found " + b.length);
        }
        return b;
    }

    private void skipZeroTerminated(String what) throws IOException {
        int c;
        do {
            c = in.read();
            if (c < 0) {
                throw new EOFException("truncated " + what);
            }
        } while (c != 0);
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
