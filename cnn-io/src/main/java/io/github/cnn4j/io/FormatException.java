package io.github.cnn4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file's content is not in the expected format: wrong magic number, truncated or trailing data,
 * malformed JSON or CSV, missing fields, arrays of the wrong shape, values out of range, or sizes
 * beyond the reader's limits.
 *
 * <p>The message always names the file (when there is one), what was expected and what was found,
 * e.g. {@code /data/t10k-labels-idx1-ubyte: label 3 is 12, expected 0..9}. Readers never let a
 * lower-level parsing exception (array index, number format, Jackson) escape; they wrap it here.
 */
public class FormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String detail;

    /**
     * @param file   the offending file, or {@code null} when the data did not come from a file
     * @param detail what was expected and what was found
     */
    public FormatException(Path file, String detail) {
        super(compose(file, detail));
        this.file = file;
        this.detail = detail;
    }

    /**
     * @param file   the offending file, or {@code null} when the data did not come from a file
     * @param detail what was expected and what was found
     * @param cause  the lower-level exception that revealed the problem
     */
    public FormatException(Path file, String detail, Throwable cause) {
        super(compose(file, detail), cause);
        this.file = file;
        this.detail = detail;
    }

    private static String compose(Path file, String detail) {
        return file == null ? detail : file + ": " + detail;
    }

    /** @return the offending file, or {@code null} */
    public Path file() {
        return file;
    }

    /** @return the message without the file name */
    public String detail() {
        return detail;
    }
}
