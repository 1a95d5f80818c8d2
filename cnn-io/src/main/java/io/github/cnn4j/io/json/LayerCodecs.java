package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mapping between cnn-core layers and their entries in the native model format.
 *
 * <p>File to layer goes through one explicit {@code switch} on the type string: nothing in a file ever
 * names a Java class. To add a layer type: add its type string to {@link #TYPES}, a case to
 * {@link #typeOf}, {@link #writeOptions}, {@link #create} and, when it has parameters or state,
 * {@link #parameters}; new optional options of an existing type (such as the conv {@code stride})
 * go in the same places with a default that matches the old behaviour, so older files still read
 * the same, and are written only when they differ from that default, so files of models that do
 * not use them stay readable by older versions.
 *
 * <p>A layer's stored arrays are its trainable {@link Layer#parameters()} followed by its
 * non-trainable {@link Layer#state()} (batch normalization's running statistics), see {@link #stored}.
 */
final class LayerCodecs {
    /** Every type string version 1 knows. */
    static final List<String> TYPES = List.of("conv", "maxpool", "relu", "sigmoid", "tanh", "flatten", "dense", "softmax",
            "avgpool", "batchnorm", "dropout");
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
        } else if (l instanceof AvgPool) {
            return "avgpool";
        } else if (l instanceof BatchNorm) {
            return "batchnorm";
        } else if (l instanceof Dropout) {
            return "dropout";
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
            if (c.stride() != 1) {
                g.writeNumberField("stride", c.stride());
            }
            if (c.meanBiasGradient()) {
                g.writeBooleanField("meanBiasGradient", true);
            }
        } else if (l instanceof MaxPool p) {
            g.writeNumberField("size", p.size());
        } else if (l instanceof Dense d) {
            g.writeNumberField("units", d.units());
        } else if (l instanceof AvgPool p) {
            g.writeNumberField("size", p.size());
        } else if (l instanceof BatchNorm b) {
            g.writeNumberField("epsilon", b.epsilon());
        } else if (l instanceof Dropout d) {
            g.writeNumberField("rate", d.rate());
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
                int stride = intOption(file, options, where, "stride", 1, MAX_SIZE, 1);
                layer = new Conv(kh, kw, filters).padding(padding).stride(stride).meanBiasGradient((Boolean) mean);
                known = Set.of("kernel", "filters", "padding", "stride", "meanBiasGradient");
            }
            case "avgpool" -> {
                layer = new AvgPool(intOption(file, options, where, "size", 1, MAX_SIZE, null));
                known = Set.of("size");
            }
            case "batchnorm" -> {
                double eps = doubleOption(file, options, where, "epsilon", BatchNorm.DEFAULT_EPSILON);
                if (!(eps > 0) || eps > 1) {
                    throw new FormatException(file, where + ".epsilon: expected a number in (0, 1], found " + eps);
                }
                layer = new BatchNorm().epsilon(eps);
                known = Set.of("epsilon");
            }
            case "dropout" -> {
                double rate = doubleOption(file, options, where, "rate", null);
                if (!(rate >= 0 && rate < 1)) {
                    throw new FormatException(file, where + ".rate: expected a number in [0, 1), found " + rate);
                }
                layer = new Dropout(rate);
                known = Set.of("rate");
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
        } else if (l instanceof BatchNorm) {
            int[] c = {BatchNorm.channels(input)};
            return List.of(new ParamSpec("gamma", c), new ParamSpec("beta", c), new ParamSpec("running_mean", c),
                    new ParamSpec("running_var", c));
        }
        return List.of();
    }

    /**
     * @param l a built layer
     * @return what the file stores for it: its parameters, then its state, in the order of {@link #parameters}
     */
    static List<Parameter> stored(Layer l) {
        if (l.state().isEmpty()) {
            return l.parameters();
        }
        List<Parameter> all = new ArrayList<>(l.parameters());
        all.addAll(l.state());
        return all;
    }

    /** @throws IllegalArgumentException when a state value (running statistic) is not finite */
    static void checkFiniteState(Sequential model) {
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).state()) {
                float[] v = p.value();
                for (int k = 0; k < v.length; k++) {
                    if (!Float.isFinite(v[k])) {
                        throw new IllegalArgumentException("layer " + i + " " + layers.get(i).name() + " " + p.name() + "[" + k
                                + "] is " + v[k] + "; a model with non-finite state cannot be saved");
                    }
                }
            }
        }
    }

    private static double doubleOption(Path file, Map<String, Object> options, String where, String key, Double dflt)
            throws FormatException {
        Object v = options.get(key);
        if (v == null) {
            if (dflt == null) {
                throw new FormatException(file, where + "." + key + ": required option is missing");
            }
            return dflt;
        }
        if (v instanceof Long n) {
            return n;
        }
        if (!(v instanceof Double d) || !Double.isFinite(d)) {
            throw new FormatException(file, where + "." + key + ": expected a number, found " + describe(v));
        }
        return d;
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
