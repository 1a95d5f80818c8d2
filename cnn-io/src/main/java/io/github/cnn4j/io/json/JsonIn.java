package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.ReadableFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A streaming JSON reader over one file that reports every problem as a {@link FormatException}
 * naming the file, the field path, what was expected and what was found.
 */
final class JsonIn implements Closeable {
    /** Longest string (other than streamed base64) and longest number text accepted. */
    static final int MAX_STRING = 1 << 20;

    final JsonParser p;
    final Path file;
    final JsonLimits limits;
    private long valuesLeft;

    private JsonIn(JsonParser p, Path file, JsonLimits limits) {
        this.p = p;
        this.file = file;
        this.limits = limits;
        this.valuesLeft = limits.maxValues();
    }

    /** Opens a file after checking its size against the limits. */
    static JsonIn open(Path file, JsonLimits limits) throws IOException {
        long size = ReadableFiles.requireRegular(file, "a JSON file");
        if (size > limits.maxFileBytes()) {
            throw new FormatException(file, "file is " + size + " bytes, more than the limit of " + limits.maxFileBytes());
        }
        // The values a JSON file holds take at most twice its size as floats ("0," is two bytes, a float four).
        ReadableFiles.requireMemory(file, 2 * size, "the values a JSON file of " + size + " bytes can hold");
        return new JsonIn(factory(limits).createParser(Files.newInputStream(file)), file, limits);
    }

    /**
     * Reads JSON from a stream of known length (e.g. a section of a larger file), closing it when done.
     *
     * @param in     the stream
     * @param size   its length in bytes, checked against the limits
     * @param file   the file it comes from, for messages (may be null)
     * @param limits size limits
     */
    static JsonIn open(InputStream in, long size, Path file, JsonLimits limits) throws IOException {
        if (size > limits.maxFileBytes()) {
            in.close();
            throw new FormatException(file, "JSON of " + size + " bytes, more than the limit of " + limits.maxFileBytes());
        }
        return new JsonIn(factory(limits).createParser(in), file, limits);
    }

    private static JsonFactory factory(JsonLimits limits) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxNumberLength(1000)
                        .maxStringLength(MAX_STRING)
                        .maxNameLength(10_000)
                        .maxDocumentLength(limits.maxFileBytes())
                        .build())
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
    }

    /** Converts a Jackson error to a FormatException naming the file and the position. */
    static FormatException malformed(Path file, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        String what = e instanceof StreamConstraintsException ? "JSON exceeds a reader limit" : "malformed JSON";
        return new FormatException(file, what + where + ": " + firstLine(e.getOriginalMessage()), e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        int nl = s.indexOf('\n');
        String t = (nl >= 0 ? s.substring(0, nl) : s).replaceAll("\\[Source: [^;\\]]*; ", "[");
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    @Override
    public void close() throws IOException {
        p.close();
    }

    JsonToken next() throws IOException {
        return p.nextToken();
    }

    /** An error about the current token. */
    FormatException error(String field, String expected) {
        return new FormatException(file, (field == null ? "" : field + ": ") + "expected " + expected + ", found " + found() + line());
    }

    /** An error with a free-form message about a field. */
    FormatException fail(String field, String message) {
        return new FormatException(file, (field == null ? "" : field + ": ") + message);
    }

    String line() {
        JsonLocation loc = p.currentTokenLocation();
        return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ")";
    }

    String found() {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "the end of the file";
        }
        try {
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case END_OBJECT -> "the end of an object";
                case END_ARRAY -> "the end of an array";
                case FIELD_NAME -> "the field '" + abbreviate(p.currentName()) + "'";
                case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> abbreviate(p.getText());
                case VALUE_TRUE -> "true";
                case VALUE_FALSE -> "false";
                case VALUE_NULL -> "null";
                default -> t.toString();
            };
        } catch (IOException e) {
            return t.toString();
        }
    }

    /** A string from a file in quotes, control characters escaped, cut at 60 characters. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        String a = abbreviate(s);
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append('"').toString();
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Reads the next token, which must open an object. */
    void startObject(String field) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw error(field, "an object");
        }
    }

    /** Expects the current token to open an object. */
    void requireObject(String field) throws FormatException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw error(field, "an object");
        }
    }

    /** Expects the current token to open an array. */
    void requireArray(String field) throws FormatException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw error(field, "an array");
        }
    }

    /**
     * Advances inside an object.
     *
     * @return the next field name (the parser is then on the value), or null at the end of the object
     */
    String nextField() throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        if (t != JsonToken.FIELD_NAME) {
            throw error(null, "a field name or the end of an object");
        }
        String name = p.currentName();
        p.nextToken();
        return name;
    }

    /**
     * Advances inside an array.
     *
     * @return false at the end of the array; true when the parser is on the next element
     */
    boolean nextElement() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw error(null, "an array element or the end of the array");
        }
        return t != JsonToken.END_ARRAY;
    }

    /** Skips the current value (and its children). */
    void skip() throws IOException {
        p.skipChildren();
    }

    /** After the top-level value: nothing may follow. */
    void requireEnd() throws IOException {
        if (p.nextToken() != null) {
            throw error(null, "the end of the file after the top-level object");
        }
    }

    long longValue(String field, long min, long max) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw error(field, "an integer");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw error(field, "an integer between " + min + " and " + max);
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw error(field, "an integer between " + min + " and " + max);
        }
        return v;
    }

    int intValue(String field, int min, int max) throws IOException {
        return (int) longValue(field, min, max);
    }

    double positiveNumber(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error(field, "a number");
        }
        double v = p.getDoubleValue();
        if (!(v > 0) || Double.isInfinite(v)) {
            throw error(field, "a finite number > 0");
        }
        return v;
    }

    String string(String field, int maxLength) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw error(field, "a string");
        }
        String s = p.getText();
        if (s.length() > maxLength) {
            throw fail(field, "expected a string of at most " + maxLength + " characters, found " + s.length() + line());
        }
        return s;
    }

    /** Reads an array of integers (current token START_ARRAY). */
    int[] intArray(String field, int maxLength, int min, int max) throws IOException {
        requireArray(field);
        int[] out = new int[4];
        int n = 0;
        while (nextElement()) {
            if (n == maxLength) {
                throw fail(field, "expected at most " + maxLength + " integers" + line());
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = intValue(field + "[" + n + "]", min, max);
        }
        return Arrays.copyOf(out, n);
    }

    /** @return how many more weight values the file may hold */
    long valuesLeft() {
        return valuesLeft;
    }

    /** Counts weight values against the file's budget. */
    void spend(long values, String field) throws FormatException {
        valuesLeft -= values;
        if (valuesLeft < 0) {
            throw fail(field, "the file holds more than " + limits.maxValues() + " weight values, the reader's limit" + line());
        }
    }

    /**
     * Reads a rectangular nested array of finite numbers (current token START_ARRAY).
     *
     * @param field   field path for messages, e.g. {@code convolutional_layers[0].weights}
     * @param maxRank deepest nesting expected
     */
    ParsedArray numberArray(String field, int maxRank) throws IOException {
        requireArray(field);
        NumberArrayReader r = new NumberArrayReader(field, maxRank);
        r.level(0);
        int rank = r.rank < 0 ? 1 : r.rank;
        int[] shape = Arrays.copyOf(r.dims, rank);
        for (int d = 0; d < rank; d++) {
            if (!r.known[d]) {
                shape[d] = 0;
            }
        }
        return new ParsedArray(shape, Arrays.copyOf(r.values, r.count));
    }

    private final class NumberArrayReader {
        final String field;
        final int maxRank;
        final int[] dims;
        final boolean[] known;
        final int[] index;
        int rank = -1;
        float[] values = new float[256];
        int count;

        NumberArrayReader(String field, int maxRank) {
            this.field = field;
            this.maxRank = maxRank;
            this.dims = new int[maxRank];
            this.known = new boolean[maxRank];
            this.index = new int[maxRank];
        }

        String path(int depth) {
            StringBuilder sb = new StringBuilder(field);
            for (int d = 0; d < depth; d++) {
                sb.append('[').append(index[d]).append(']');
            }
            return sb.toString();
        }

        /** Parser is on the START_ARRAY of nesting level {@code depth}. */
        void level(int depth) throws IOException {
            if (depth >= maxRank) {
                throw fail(path(depth), "arrays nested deeper than the " + maxRank + " levels expected" + line());
            }
            int n = 0;
            while (true) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_ARRAY) {
                    break;
                }
                index[depth] = n;
                if (t == JsonToken.START_ARRAY) {
                    if (rank >= 0 && depth + 1 >= rank) {
                        throw error(path(depth + 1), "a number (the first elements at this depth are numbers)");
                    }
                    level(depth + 1);
                } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    if (rank < 0) {
                        rank = depth + 1;
                    } else if (rank != depth + 1) {
                        throw error(path(depth + 1), "an array (the first elements at this depth are arrays)");
                    }
                    float v = p.getFloatValue();
                    if (!Float.isFinite(v)) {
                        throw error(path(depth + 1), "a finite number (as a 32-bit float)");
                    }
                    if (count == values.length) {
                        if (count >= valuesLeft || count >= Integer.MAX_VALUE - 16) {
                            throw fail(field, "holds more than " + Math.min(valuesLeft, Integer.MAX_VALUE - 16)
                                    + " values, the most the reader's limit of " + limits.maxValues() + " per file leaves" + line());
                        }
                        values = Arrays.copyOf(values, (int) Math.min(Math.min(2L * count, valuesLeft), Integer.MAX_VALUE - 16));
                    }
                    values[count++] = v;
                } else if (t == null) {
                    throw error(path(depth + 1), "a number or the end of the array");
                } else {
                    throw error(path(depth + 1), "a number or an array");
                }
                n++;
            }
            if (rank < 0) {
                rank = depth + 1; // an empty array: its elements would have been numbers
            }
            if (!known[depth]) {
                known[depth] = true;
                dims[depth] = n;
            } else if (dims[depth] != n) {
                throw fail(path(depth), "ragged array: has " + n + " elements where the first array at this depth has "
                        + dims[depth] + line());
            }
            if (depth == 0) {
                spend(count, field);
            }
        }
    }
}
