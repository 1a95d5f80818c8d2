package io.github.cnn4j.io.mnist;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.ReadableFiles;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Kaggle's CSV layouts of MNIST-style digits (28 x 28 = 784 pixels, integers 0..255).
 *
 * <ul>
 *   <li>Labelled, with header: {@code label,pixel0,...,pixel783} (Kaggle digit-recognizer
 *       {@code train.csv}), or without header: rows of label + 784 values (the common
 *       {@code mnist_train.csv}). {@link #readLabeled} detects which.</li>
 *   <li>Unlabelled: {@code pixel0,...,pixel783} (digit-recognizer {@code test.csv}), with or without
 *       header, read by {@link #readUnlabeled} for prediction.</li>
 *   <li>A submission: {@code ImageId,Label}, image ids from 1, written by {@link #writeSubmission}.</li>
 * </ul>
 *
 * <p>Rows of the wrong length, non-numeric or out-of-range values and over-long lines are rejected
 * with a {@link FormatException} naming the file, line and column.
 */
public final class KaggleCsv {
    /** Pixels per image: 28 x 28. */
    public static final int PIXELS = 784;
    /** Longest line accepted, in bytes (a full row of 785 three-digit values needs about 3.2 KB). */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    private static final Shape SHAPE = Shape.of(1, 28, 28);
    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private KaggleCsv() {
    }

    /**
     * Reads a labelled CSV: header {@code label,pixel0..pixel783} or headerless rows of label + 784 pixels.
     *
     * @param file the CSV file
     * @return the images (shape (1, 28, 28), pixels / 255) and labels (10 classes)
     * @throws FormatException naming line and column for a wrong header, row length, label or pixel
     * @throws IOException     when reading fails
     */
    public static Dataset readLabeled(Path file) throws IOException {
        Rows rows = read(file, true);
        return new Dataset(Arrays.copyOf(rows.pixels, rows.count * PIXELS), Arrays.copyOf(rows.labels, rows.count), SHAPE, 10);
    }

    /**
     * Reads an unlabelled CSV for prediction: header {@code pixel0..pixel783} or headerless rows of 784 pixels.
     *
     * @param file the CSV file
     * @return one array of 784 values (pixels / 255, row-major 28 x 28) per row, in file order
     * @throws FormatException naming line and column for a wrong header, row length or pixel
     * @throws IOException     when reading fails
     */
    public static float[][] readUnlabeled(Path file) throws IOException {
        Rows rows = read(file, false);
        float[][] out = new float[rows.count][];
        for (int i = 0; i < rows.count; i++) {
            out[i] = Arrays.copyOfRange(rows.pixels, i * PIXELS, (i + 1) * PIXELS);
        }
        return out;
    }

    /**
     * Writes Kaggle's submission CSV: header {@code ImageId,Label}, then one row per prediction with
     * image ids counted from 1. The file is replaced atomically.
     *
     * @param file        destination
     * @param predictions predicted class of each image, in the order of the test CSV
     * @throws IOException when writing fails
     */
    public static void writeSubmission(Path file, int[] predictions) throws IOException {
        AtomicFiles.write(file, out -> {
            StringBuilder sb = new StringBuilder(predictions.length * 8 + 16).append("ImageId,Label\n");
            for (int i = 0; i < predictions.length; i++) {
                sb.append(i + 1).append(',').append(predictions[i]).append('\n');
            }
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        });
    }

    /**
     * Writes a labelled CSV with header {@code label,pixel0..pixel783}, pixels as {@code round(v * 255)}.
     * The file is replaced atomically.
     *
     * @param file destination
     * @param data samples of 784 values in [0, 1]
     * @throws IllegalArgumentException when the samples are not 784 values or a value is outside [0, 1]
     * @throws IOException              when writing fails
     */
    public static void writeLabeled(Path file, Dataset data) throws IOException {
        if (data.shape().size() != PIXELS) {
            throw new IllegalArgumentException("Kaggle CSV rows hold " + PIXELS + " pixels, the samples have shape " + data.shape());
        }
        AtomicFiles.write(file, out -> {
            StringBuilder sb = new StringBuilder(8 * 1024).append("label");
            for (int j = 0; j < PIXELS; j++) {
                sb.append(",pixel").append(j);
            }
            sb.append('\n');
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
            float[] img = new float[PIXELS];
            for (int i = 0; i < data.size(); i++) {
                sb.setLength(0);
                sb.append(data.label(i));
                data.copyImage(i, img, 0);
                for (int j = 0; j < PIXELS; j++) {
                    float v = img[j];
                    if (!(v >= 0f && v <= 1f)) {
                        throw new IllegalArgumentException("sample " + i + " pixel " + j + " is " + v + ", expected a value in [0, 1]");
                    }
                    sb.append(',').append(Math.round(v * 255f));
                }
                sb.append('\n');
                out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
            }
        });
    }

    // ----- parsing -----

    private static final class Rows {
        float[] pixels = new float[1024 * PIXELS];
        int[] labels = new int[1024];
        int count;

        void grow() {
            if (count == labels.length) {
                int cap = labels.length * 2;
                pixels = Arrays.copyOf(pixels, cap * PIXELS);
                labels = Arrays.copyOf(labels, cap);
            }
        }
    }

    private static Rows read(Path file, boolean labeled) throws IOException {
        int columns = labeled ? PIXELS + 1 : PIXELS;
        int first = labeled ? 1 : 0;
        Rows rows = new Rows();
        int[] fieldStart = new int[columns + 1];
        int[] fieldEnd = new int[columns + 1];
        boolean sawFirst = false;
        long size = ReadableFiles.requireRegular(file, "a CSV file");
        // a pixel takes at least two bytes of text ("0,") and four as a float; the arrays grow by doubling
        ReadableFiles.requireMemory(file, 3 * size, "the pixels a CSV file of " + size + " bytes can hold, as floats");
        try (InputStream in = Files.newInputStream(file)) {
            CsvLines lines = new CsvLines(in, file, MAX_LINE_BYTES);
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                byte[] b = lines.buffer();
                int n = split(b, lines.start(), lines.end(), fieldStart, fieldEnd);
                if (!sawFirst) {
                    sawFirst = true;
                    if (!isInteger(b, fieldStart[0], fieldEnd[0])) {
                        checkHeader(file, b, fieldStart, fieldEnd, n, labeled, columns);
                        continue;
                    }
                }
                if (n != columns) {
                    throw new FormatException(file, "line " + lines.lineNumber() + ": expected " + columns + " values ("
                            + (labeled ? "label + " : "") + PIXELS + " pixels), found " + (n > columns ? "more than " + columns : n));
                }
                rows.grow();
                int r = rows.count;
                if (labeled) {
                    rows.labels[r] = parse(file, lines.lineNumber(), 1, -1, b, fieldStart[0], fieldEnd[0], 9);
                }
                int off = r * PIXELS;
                for (int j = 0; j < PIXELS; j++) {
                    int col = first + j;
                    int v = parse(file, lines.lineNumber(), col + 1, j, b, fieldStart[col], fieldEnd[col], 255);
                    rows.pixels[off + j] = SCALE[v];
                }
                rows.count++;
            }
        }
        if (rows.count == 0) {
            throw new FormatException(file, "expected at least one row of " + columns + " values, found none");
        }
        return rows;
    }

    private static void checkHeader(Path file, byte[] b, int[] fs, int[] fe, int n, boolean labeled, int columns)
            throws FormatException {
        String firstName = unquote(text(b, fs[0], fe[0]));
        if (labeled && !firstName.equalsIgnoreCase("label")) {
            String hint = firstName.equalsIgnoreCase("pixel0") ? " (this looks like an unlabelled CSV, e.g. Kaggle's test.csv)" : "";
            throw new FormatException(file, "line 1: expected a header starting with 'label' or a row of label + " + PIXELS
                    + " pixels, found '" + firstName + "'" + hint);
        }
        if (!labeled && !firstName.equalsIgnoreCase("pixel0")) {
            String hint = firstName.equalsIgnoreCase("label") ? " (this CSV has labels: read it as labelled)" : "";
            throw new FormatException(file, "line 1: expected a header starting with 'pixel0' or a row of " + PIXELS
                    + " pixels, found '" + firstName + "'" + hint);
        }
        if (n != columns) {
            throw new FormatException(file, "line 1: expected a header of " + columns + " columns ("
                    + (labeled ? "label, " : "") + "pixel0..pixel783), found " + (n > columns ? "more than " + columns : n));
        }
    }

    /** Splits on commas; returns the field count, or fs.length when there are more fields than fit. */
    private static int split(byte[] b, int start, int end, int[] fs, int[] fe) {
        int n = 0;
        int s = start;
        for (int i = start; i <= end; i++) {
            if (i == end || b[i] == ',') {
                if (n == fs.length) {
                    return n;
                }
                fs[n] = s;
                fe[n] = i;
                n++;
                s = i + 1;
            }
        }
        return n;
    }

    private static boolean isInteger(byte[] b, int s, int e) {
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        if (s < e && (b[s] == '-' || b[s] == '+')) {
            s++;
        }
        if (s == e) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** Parses an integer 0..max; {@code pixel} is the pixel index for messages, -1 for the label. */
    private static int parse(Path file, long line, int column, int pixel, byte[] b, int s, int e, int max) throws FormatException {
        int s0 = s;
        int e0 = e;
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        boolean negative = false;
        if (s < e && (b[s] == '-' || b[s] == '+')) {
            negative = b[s] == '-';
            s++;
        }
        long v = 0;
        boolean ok = s < e;
        for (int i = s; i < e && ok; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                ok = false;
            } else if (v <= max) {
                v = v * 10 + d;
            }
        }
        if (ok && !(negative && v != 0) && v <= max) {
            return (int) v;
        }
        String name = pixel < 0 ? "label" : "pixel" + pixel;
        if (!ok) {
            throw new FormatException(file, "line " + line + ", column " + column + " (" + name + "): expected an integer 0.."
                    + max + ", found '" + abbreviate(text(b, s0, e0)) + "'");
        }
        throw new FormatException(file, "line " + line + ", column " + column + " (" + name + "): expected 0.." + max
                + ", found " + abbreviate(text(b, s0, e0).strip()));
    }

    private static String text(byte[] b, int s, int e) {
        return new String(b, s, Math.min(e - s, 200), StandardCharsets.ISO_8859_1);
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        return abbreviate(t);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
