package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mapping between cnn-core layers and their entries in the native model format.
 *
 * <p>File to layer goes through one explicit {@code switch} on the type string: nothing in a file ever
 * names a Java class. To add a layer type (planned: strided conv, average pooling, batch norm,
 * dropout): add its type string to {@link #TYPES}, a case to {@link #typeOf}, {@link #writeOptions},
 * {@link #create} and, when it has parameters or state, {@link #parameters}; new optional options of
 * an existing type (e.g. a conv {@code stride}) go in the same places with a default that matches
 * the old behaviour, so older files still read the same.
 */
final class LayerCodecs {
    /** Every type string version 1 knows. */
    static final List<String> TYPES = List.of("conv", "maxpool", "relu", "sigmoid", "tanh", "flatten", "dense", "softmax");
    private static final int MAX_SIZE = 1 << 24;

    private LayerCodecs() {
    }

    /** @throws IllegalArgumentException for a layer class the format cannot store */
    static String typeOf(Layer l) {
        if (l instanceof Conv) {
            return "conv";
        } else if (l instanceof MaxPool) {
            return "maxpool";
        } else if (l instanceof ReLU) {
            return "relu";
        } else if (l instanceof Sigmoid) {
            return "sigmoid";
        } else if (l instanceof Tanh) {
            return "tanh";
        } else if (l instanceof Flatten) {
            return "flatten";
        } else if (l instanceof Dense) {
            return "dense";
        } else if (l instanceof Softmax) {
            return "softmax";
        }
        throw new IllegalArgumentException("layer " + l.name() + " (" + l.getClass().getName() + ") cannot be stored in "
                + NativeModelFormat.FORMAT + " version " + NativeModelFormat.VERSION + ", which holds " + TYPES);
    }

    static void writeOptions(Layer l, JsonGenerator g) throws IOException {
        if (l instanceof Conv c) {
            g.writeFieldName("kernel");
            g.writeArray(new int[] {c.kernelHeight(), c.kernelWidth()}, 0, 2);
            g.writeNumberField("filters", c.filters());
            g.writeNumberField("padding", c.padding());
            if (c.meanBiasGradient()) {
                g.writeBooleanField("meanBiasGradient", true);
            }
        } else if (l instanceof MaxPool p) {
            g.writeNumberField("size", p.size());
        } else if (l instanceof Dense d) {
            g.writeNumberField("units", d.units());
        }
    }

    /**
     * Creates the configured (unbuilt) layer of a file entry.
     *
     * @param type    the entry's type
     * @param options its other fields: Long, Double, String, Boolean or long[] values
     * @param where   e.g. {@code layers[3]}, for messages
     */
    static Layer create(Path file, String type, Map<String, Object> options, String where) throws FormatException {
        Layer layer;
        Set<String> known;
        switch (type) {
            case "conv" -> {
                long[] k = intArray(file, options, where, "kernel", 2);
                int kh = bounded(file, where + ".kernel[0]", k[0], 1, MAX_SIZE);
                int kw = bounded(file, where + ".kernel[1]", k[1], 1, MAX_SIZE);
                int filters = intOption(file, options, where, "filters", 1, MAX_SIZE, null);
                int padding = intOption(file, options, where, "padding", 0, MAX_SIZE, 0);
                Object mean = options.getOrDefault("meanBiasGradient", Boolean.FALSE);
                if (!(mean instanceof Boolean)) {
                    throw new FormatException(file, where + ".meanBiasGradient: expected true or false, found " + mean);
                }
                layer = new Conv(kh, kw, filters).padding(padding).meanBiasGradient((Boolean) mean);
                known = Set.of("kernel", "filters", "padding", "meanBiasGradient");
            }
            case "maxpool" -> {
                layer = new MaxPool(intOption(file, options, where, "size", 1, MAX_SIZE, null));
                known = Set.of("size");
            }
            case "dense" -> {
                layer = new Dense(intOption(file, options, where, "units", 1, MAX_SIZE, null));
                known = Set.of("units");
            }
            case "relu" -> {
                layer = new ReLU();
                known = Set.of();
            }
            case "sigmoid" -> {
                layer = new Sigmoid();
                known = Set.of();
            }
            case "tanh" -> {
                layer = new Tanh();
                known = Set.of();
            }
            case "flatten" -> {
                layer = new Flatten();
                known = Set.of();
            }
            case "softmax" -> {
                layer = new Softmax();
                known = Set.of();
            }
            default -> throw new FormatException(file, where + ".type: unknown layer type '" + JsonIn.abbreviate(type)
                    + "', expected one of " + TYPES + " (a newer cnn4j may read this file)");
        }
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new FormatException(file, where + " (" + type + "): unknown option(s) " + unknown + ", expected only "
                    + new TreeSet<>(known) + " (a newer cnn4j may read this file)");
        }
        return layer;
    }

    /**
     * The parameters a configured layer will have when built on {@code input}, in the order of
     * {@link Layer#parameters()}, computed without allocating them.
     */
    static List<ParamSpec> parameters(Layer l, Shape input) {
        if (l instanceof Conv c) {
            return List.of(new ParamSpec("weight", new int[] {c.filters(), input.channels(), c.kernelHeight(), c.kernelWidth()}),
                    new ParamSpec("bias", new int[] {c.filters()}));
        } else if (l instanceof Dense d) {
            return List.of(new ParamSpec("weight", new int[] {input.size(), d.units()}), new ParamSpec("bias", new int[] {d.units()}));
        }
        return List.of();
    }

    private static int intOption(Path file, Map<String, Object> options, String where, String key, int min, int max, Integer dflt)
            throws FormatException {
        Object v = options.get(key);
        if (v == null) {
            if (dflt == null) {
                throw new FormatException(file, where + "." + key + ": required option is missing");
            }
            return dflt;
        }
        if (!(v instanceof Long n)) {
            throw new FormatException(file, where + "." + key + ": expected an integer, found " + describe(v));
        }
        return bounded(file, where + "." + key, n, min, max);
    }

    private static long[] intArray(Path file, Map<String, Object> options, String where, String key, int length) throws FormatException {
        Object v = options.get(key);
        if (v == null) {
            throw new FormatException(file, where + "." + key + ": required option is missing");
        }
        if (!(v instanceof long[] a) || a.length != length) {
            throw new FormatException(file, where + "." + key + ": expected an array of " + length + " integers, found " + describe(v));
        }
        return a;
    }

    private static int bounded(Path file, String field, long v, int min, int max) throws FormatException {
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
        return String.valueOf(v);
    }
}
