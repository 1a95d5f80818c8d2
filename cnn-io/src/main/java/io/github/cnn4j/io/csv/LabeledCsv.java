package io.github.cnn4j.io.csv;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.ReadableFiles;
import io.github.cnn4j.tensor.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A CSV of labelled samples of any width: one sample per line, one column holding the label and
 * every other column a value. Labels are integers {@code 0..k-1} (class names "0".."k-1") or any
 * text (class names: the distinct labels, sorted). A header line is detected (its value columns are
 * not numbers) or stated; its label column's title is kept as {@link #labelTitle()}.
 *
 * <pre>{@code
 * Dataset d = LabeledCsv.builder(Path.of("train.csv")).labelColumn(0).shape(Shape.of(1, 28, 28)).scale(1 / 255f).read();
 * }</pre>
 */
public final class LabeledCsv {
    /** Longest line read, in characters. */
    public static final int MAX_LINE = 16 << 20;

    private final Path file;
    private int labelColumn;
    private String labelName;
    private Boolean header;
    private Shape shape;
    private float scale = 1;
    private String labelTitle;

    private LabeledCsv(Path file) {
        this.file = file;
    }

    /**
     * @param file the CSV file
     * @return a reader with defaults: label in column 0, header detected, shape {@code (width - 1)}, scale 1
     */
    public static LabeledCsv builder(Path file) {
        return new LabeledCsv(file);
    }

    /**
     * @param column zero-based label column; negative counts from the end (-1: the last column)
     * @return this reader
     */
    public LabeledCsv labelColumn(int column) {
        this.labelColumn = column;
        this.labelName = null;
        return this;
    }

    /**
     * @param title the label column's title in the header (implies a header)
     * @return this reader
     */
    public LabeledCsv labelColumn(String title) {
        this.labelName = title;
        this.header = true;
        return this;
    }

    /**
     * @param hasHeader whether the first line is a header (default: detected)
     * @return this reader
     */
    public LabeledCsv header(boolean hasHeader) {
        this.header = hasHeader;
        return this;
    }

    /**
     * @param shape shape of one sample; its size must equal the number of value columns
     * @return this reader
     */
    public LabeledCsv shape(Shape shape) {
        this.shape = shape;
        return this;
    }

    /**
     * @param scale every value is multiplied by it (e.g. {@code 1 / 255f} for bytes)
     * @return this reader
     */
    public LabeledCsv scale(float scale) {
        this.scale = scale;
        return this;
    }

    /** @return the label column's title from the header of the last {@link #read()}, or null */
    public String labelTitle() {
        return labelTitle;
    }

    /**
     * Reads the file.
     *
     * @return the samples with their class names
     * @throws FormatException naming the file and line when a line has another width, a value is not
     *                         a finite number, the shape does not match or the file holds no sample
     * @throws IOException     when reading fails
     */
    public Dataset read() throws IOException {
        List<String> rawLabels = new ArrayList<>();
        float[] values = new float[1 << 16];
        int count = 0;
        int width = -1;
        int labelCol = -1;
        long lineNo = 0;
        ReadableFiles.requireRegular(file, "a labelled CSV file"); // a named pipe would block the read forever
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.length() > MAX_LINE) {
                    throw new FormatException(file, "line " + lineNo + " is longer than " + MAX_LINE + " characters");
                }
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (width < 0) {
                    width = cells.length;
                    if (width < 2) {
                        throw new FormatException(file, "line " + lineNo + " has " + width + " column(s), expected a label and at least one value");
                    }
                    labelCol = labelIndex(cells, width);
                    boolean isHeader = header != null ? header : looksLikeHeader(cells, labelCol);
                    if (isHeader) {
                        labelTitle = cells[labelCol].trim();
                        continue;
                    }
                }
                if (cells.length != width) {
                    throw new FormatException(file, "line " + lineNo + " has " + cells.length + " columns, expected " + width);
                }
                if ((long) (count + 1) * (width - 1) > Integer.MAX_VALUE - 8) {
                    throw new FormatException(file, "more values than one array holds (line " + lineNo + ")");
                }
                if ((count + 1) * (width - 1) > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) values.length * 2, (long) (count + 1) * (width - 1))));
                }
                int k = count * (width - 1);
                for (int c = 0; c < width; c++) {
                    if (c == labelCol) {
                        rawLabels.add(cells[c].trim());
                        continue;
                    }
                    float v;
                    try {
                        v = Float.parseFloat(cells[c].trim());
                    } catch (NumberFormatException e) {
                        throw new FormatException(file, "line " + lineNo + ", column " + (c + 1) + ": expected a number, found '" + cells[c] + "'");
                    }
                    if (!Float.isFinite(v)) {
                        throw new FormatException(file, "line " + lineNo + ", column " + (c + 1) + ": expected a finite number, found " + cells[c]);
                    }
                    values[k++] = v * scale;
                }
                count++;
            }
        }
        if (count == 0) {
            throw new FormatException(file, "holds no sample");
        }
        Shape s = shape != null ? shape : Shape.of(width - 1);
        if (s.size() != width - 1) {
            throw new FormatException(file, "has " + (width - 1) + " values per sample, the shape " + s + " needs " + s.size());
        }
        return toDataset(Arrays.copyOf(values, count * (width - 1)), rawLabels, s);
    }

    private int labelIndex(String[] cells, int width) throws FormatException {
        if (labelName != null) {
            for (int c = 0; c < width; c++) {
                if (cells[c].trim().equals(labelName)) {
                    return c;
                }
            }
            throw new FormatException(file, "the header has no column '" + labelName + "'");
        }
        int c = labelColumn < 0 ? width + labelColumn : labelColumn;
        if (c < 0 || c >= width) {
            throw new FormatException(file, "label column " + labelColumn + " is outside the " + width + " columns");
        }
        return c;
    }

    private static boolean looksLikeHeader(String[] cells, int labelCol) {
        for (int c = 0; c < cells.length; c++) {
            if (c != labelCol) {
                try {
                    Float.parseFloat(cells[c].trim());
                } catch (NumberFormatException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private Dataset toDataset(float[] values, List<String> raw, Shape s) throws FormatException {
        int[] labels = new int[raw.size()];
        boolean numeric = true;
        int max = 0;
        for (int i = 0; i < labels.length && numeric; i++) {
            try {
                labels[i] = Integer.parseInt(raw.get(i));
                numeric = labels[i] >= 0;
                max = Math.max(max, labels[i]);
            } catch (NumberFormatException e) {
                numeric = false;
            }
        }
        ClassNames names;
        if (numeric) {
            if (max > 100_000) {
                throw new FormatException(file, "label " + max + " is too large for a class index (expected 0..100000)");
            }
            names = ClassNames.numbered(max + 1);
        } else {
            List<String> sorted = new ArrayList<>(new TreeSet<>(raw));
            Map<String, Integer> index = new HashMap<>();
            for (int k = 0; k < sorted.size(); k++) {
                index.put(sorted.get(k), k);
            }
            for (int i = 0; i < labels.length; i++) {
                labels[i] = index.get(raw.get(i));
            }
            try {
                names = ClassNames.of(sorted);
            } catch (IllegalArgumentException e) {
                throw new FormatException(file, "labels: " + e.getMessage());
            }
        }
        return new Dataset(values, labels, s, names);
    }
}
