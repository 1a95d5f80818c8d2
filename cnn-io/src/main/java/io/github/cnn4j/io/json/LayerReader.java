package io.github.cnn4j.io.json;

import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.Layer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of one layer entry of a model file, for a {@link LayerCodec}: typed accessors that
 * check presence, type and range and fail with a {@link FormatException} naming the file and field.
 * The registry rejects the fields no accessor asked for.
 */
public final class LayerReader {
    /** Largest integer option (sizes, counts): 2^24. */
    public static final int MAX_SIZE = 1 << 24;

    private final Path file;
    private final String where;
    private final LayerEntry entry;
    private final LayerCodecs codecs;
    private final Set<String> asked = new HashSet<>();

    LayerReader(Path file, String where, LayerEntry entry, LayerCodecs codecs) {
        this.file = file;
        this.where = where;
        this.entry = entry;
        this.codecs = codecs;
    }

    /** @return where the entry is, e.g. {@code layers[3]}, for messages */
    public String where() {
        return where;
    }

    /** @return the entry's type string */
    public String type() {
        return entry.type();
    }

    /** @return whether the entry has the field */
    public boolean has(String name) {
        asked.add(name);
        return entry.options().containsKey(name);
    }

    /**
     * @param message what is wrong with the entry
     * @return an exception naming the file and the entry
     */
    public FormatException fail(String message) {
        return new FormatException(file, where + " (" + entry.type() + "): " + message);
    }

    /**
     * @param name field name
     * @param min  least value
     * @param max  largest value
     * @param dflt value when absent, or null when required
     * @return the integer
     * @throws FormatException when missing, not an integer or out of range
     */
    public int integer(String name, int min, int max, Integer dflt) throws FormatException {
        Object v = get(name);
        if (v == null) {
            return required(name, dflt);
        }
        if (!(v instanceof Long n)) {
            throw fieldError(name, "expected an integer, found " + describe(v));
        }
        return bounded(where + "." + name, n, min, max);
    }

    /**
     * @param name field name
     * @param dflt value when absent, or null when required
     * @return the number (an integer in the file is accepted)
     * @throws FormatException when missing or not a finite number
     */
    public double number(String name, Double dflt) throws FormatException {
        Object v = get(name);
        if (v == null) {
            return required(name, dflt);
        }
        if (v instanceof Long n) {
            return n;
        }
        if (!(v instanceof Double d) || !Double.isFinite(d)) {
            throw fieldError(name, "expected a number, found " + describe(v));
        }
        return d;
    }

    /**
     * @param name field name
     * @param dflt value when absent, or null when required
     * @return the flag
     * @throws FormatException when missing or not true or false
     */
    public boolean flag(String name, Boolean dflt) throws FormatException {
        Object v = get(name);
        if (v == null) {
            return required(name, dflt);
        }
        if (!(v instanceof Boolean b)) {
            throw fieldError(name, "expected true or false, found " + describe(v));
        }
        return b;
    }

    /**
     * @param name   field name
     * @param length the number of integers expected
     * @param min    least value of each
     * @param max    largest value of each
     * @return the integers
     * @throws FormatException when missing, not an array of {@code length} integers or out of range
     */
    public int[] integers(String name, int length, int min, int max) throws FormatException {
        Object v = get(name);
        if (v == null) {
            throw fieldError(name, "required option is missing");
        }
        if (!(v instanceof long[] a) || a.length != length) {
            throw fieldError(name, "expected an array of " + length + " integers, found " + describe(v));
        }
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = bounded(where + "." + name + "[" + i + "]", a[i], min, max);
        }
        return out;
    }

    /**
     * @param name field name
     * @return the nested layer (configured), read through its own codec
     * @throws FormatException when missing, not a layer object or invalid
     */
    public Layer layer(String name) throws FormatException {
        Object v = get(name);
        if (v == null) {
            throw fieldError(name, "required option is missing");
        }
        if (!(v instanceof LayerEntry e)) {
            throw fieldError(name, "expected a layer object, found " + describe(v));
        }
        return codecs.readEntry(file, e, where + "." + name);
    }

    /**
     * @param name field name
     * @return the nested layers (configured, at least one), each read through its own codec
     * @throws FormatException when missing, not a non-empty array of layer objects or invalid
     */
    public List<Layer> layers(String name) throws FormatException {
        Object v = get(name);
        if (v == null) {
            throw fieldError(name, "required option is missing");
        }
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw fieldError(name, "expected a non-empty array of layer objects, found " + describe(v));
        }
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(codecs.readEntry(file, (LayerEntry) list.get(i), where + "." + name + "[" + i + "]"));
        }
        return out;
    }

    /** @return the names of the fields the codec asked for */
    Set<String> asked() {
        return new TreeSet<>(asked);
    }

    /** @return the names of the entry's fields no accessor asked for */
    Set<String> unasked() {
        Set<String> s = new TreeSet<>(entry.options().keySet());
        s.removeAll(asked);
        return s;
    }

    private Object get(String name) {
        asked.add(name);
        return entry.options().get(name);
    }

    private <T> T required(String name, T dflt) throws FormatException {
        if (dflt == null) {
            throw fieldError(name, "required option is missing");
        }
        return dflt;
    }

    /**
     * @param name    a field of this entry
     * @param message what is wrong with it
     * @return an exception naming the file, the entry and the field
     */
    public FormatException fieldError(String name, String message) {
        return new FormatException(file, where + "." + name + ": " + message);
    }

    private int bounded(String field, long v, int min, int max) throws FormatException {
        if (v < min || v > max) {
            throw new FormatException(file, field + ": expected an integer between " + min + " and " + max + ", found " + v);
        }
        return (int) v;
    }

    private static String describe(Object v) {
        if (v instanceof long[] a) {
            return "an array of " + a.length + " integers";
        }
        if (v instanceof String s) {
            return "the string \"" + JsonIn.abbreviate(s) + "\"";
        }
        if (v instanceof LayerEntry e) {
            return "a layer object of type '" + JsonIn.abbreviate(e.type()) + "'";
        }
        if (v instanceof List<?> l) {
            return "an array of " + l.size() + " layer objects";
        }
        return String.valueOf(v);
    }
}
