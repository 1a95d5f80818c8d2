package io.github.cnn4j.io.mnist;

import io.github.cnn4j.io.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Splits a byte stream into lines ({@code \n} or {@code \r\n}) without decoding, rejecting lines
 * longer than a limit. A UTF-8 byte-order mark at the start is skipped.
 */
final class CsvLines {
    private final InputStream in;
    private final Path file;
    private final int maxLine;
    private byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private boolean first = true;
    private long lineNumber;
    private int start;
    private int end;

    CsvLines(InputStream in, Path file, int maxLine) {
        this.in = in;
        this.file = file;
        this.maxLine = maxLine;
        this.buf = new byte[Math.max(1 << 16, 2 * maxLine + 2)];
    }

    /** @return whether a line is available; then {@link #buffer()}, {@link #start()} and {@link #end()} describe it */
    boolean next() throws IOException {
        int scan = pos;
        while (true) {
            for (int i = scan; i < lim; i++) {
                if (buf[i] == '\n') {
                    return take(i, i + 1);
                }
            }
            if (lim - pos > maxLine + 1) {
                throw new FormatException(file, "line " + (lineNumber + 1) + " is longer than " + maxLine + " bytes");
            }
            if (eof) {
                if (pos < lim) {
                    return take(lim, lim);
                }
                return false;
            }
            scan = lim;
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                scan -= pos;
                lim -= pos;
                pos = 0;
            }
            if (lim == buf.length) {
                throw new FormatException(file, "line " + (lineNumber + 1) + " is longer than " + maxLine + " bytes");
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
            }
        }
    }

    private boolean take(int lineEnd, int nextPos) throws FormatException {
        lineNumber++;
        start = pos;
        end = lineEnd;
        if (end > start && buf[end - 1] == '\r') {
            end--;
        }
        if (first) {
            first = false;
            if (end - start >= 3 && (buf[start] & 0xFF) == 0xEF && (buf[start + 1] & 0xFF) == 0xBB && (buf[start + 2] & 0xFF) == 0xBF) {
                start += 3;
            }
        }
        if (end - start > maxLine) {
            throw new FormatException(file, "line " + lineNumber + " is longer than " + maxLine + " bytes");
        }
        pos = nextPos;
        return true;
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    long lineNumber() {
        return lineNumber;
    }

    boolean blank() {
        for (int i = start; i < end; i++) {
            if (buf[i] != ' ' && buf[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
