package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.model.MemoryCost;
import io.github.cnn4j.model.PlanException;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cnn4j's own model file: any {@link Sequential} of cnn-core layers, its input shape, seed and init
 * preset, and its exact weights, as JSON.
 *
 * <pre>{@code
 * {
 *     "format": "cnn4j-model",
 *     "version": 1,
 *     "metadata": { "trained_epochs": "3" },
 *     "input": [ 1, 28, 28 ],
 *     "seed": 555124141,
 *     "init": "PAPER",
 *     "layers": [
 *         { "type": "conv", "kernel": [ 5, 5 ], "filters": 6, "padding": 0 },
 *         { "type": "relu" }, { "type": "maxpool", "size": 2 }, { "type": "flatten" },
 *         { "type": "dense", "units": 10 }, { "type": "softmax" } ],
 *     "parameters": [
 *         { "layer": 0, "name": "weight", "shape": [ 6, 1, 5, 5 ], "encoding": "base64-f32le", "data": "..." }, ... ]
 * }
 * }</pre>
 *
 * <p>Layer types: {@code conv} ({@code kernel [h, w]}, {@code filters}, {@code padding}, default 0,
 * {@code stride}, default 1 and written only when not 1, {@code meanBiasGradient}, default false and
 * written only when true), {@code maxpool} ({@code size}),
 * {@code avgpool} ({@code size}), {@code dense} ({@code units}), {@code batchnorm} ({@code epsilon},
 * default 1e-5), {@code dropout} ({@code rate}), {@code relu}, {@code sigmoid}, {@code tanh},
 * {@code flatten}, {@code softmax}, {@code globalavgpool}; the composite {@code block}
 * ({@code layers}: an array of layer objects, their arrays named {@code <index>.<name>}) and
 * {@code residual} ({@code block}: a layer object, {@code shortcut}: a layer object written only when
 * given explicitly, arrays named {@code block.<name>} and {@code shortcut.<name>}); and the type of
 * any {@link LayerCodec} on the class path. Parameter data is base64 of little-endian IEEE float32, so
 * weights round-trip bit for bit; the layouts are cnn-core's ({@code Conv} weight
 * {@code (F, C, KH, KW)}, {@code Dense} weight {@code (I, U)}). A {@code batchnorm} layer stores
 * four arrays of its channel count: {@code gamma}, {@code beta} and its non-trainable running
 * statistics {@code running_mean} and {@code running_var}.
 *
 * <p>{@code metadata}, {@code seed} (default 0) and {@code init} ({@code PAPER} or {@code MODERN}, default
 * {@code PAPER}) may be absent; every other field is required, except that
 * {@link #readArchitecture(Path)} also accepts a file without {@code parameters}: an untrained
 * architecture.
 *
 * <p>Every layer is written and read by its {@link LayerCodec} (see {@link LayerCodecs}); shapes are
 * inferred by {@code Sequential.plan}, as when building. Reading maps type strings to codecs (no
 * class names are taken from the file), rejects unknown versions, types, options and fields, checks every parameter's presence,
 * shape and value count against the architecture and that every value is finite, and returns a model
 * only when all of it loaded. Per-layer initializers ({@code Conv.weightInit} etc.) are not stored:
 * the weights are. Writing is atomic.
 */
public final class NativeModelFormat {
    private static final Logger LOG = LoggerFactory.getLogger(NativeModelFormat.class);
    /** The value of the {@code format} field. */
    public static final String FORMAT = "cnn4j-model";
    /** The version this cnn4j writes and the newest it reads. */
    public static final int VERSION = 1;
    /** The only parameter encoding of version 1. */
    public static final String ENCODING = "base64-f32le";
    private static final int MAX_METADATA = 1000;
    private static final int MAX_METADATA_CHARS = 1 << 16;

    private NativeModelFormat() {
    }

    /**
     * Saves a model atomically.
     *
     * @param file  destination
     * @param model the model
     * @throws IllegalArgumentException when a layer type cannot be stored or a weight is not finite
     * @throws IOException              when writing fails (the previous file is then untouched)
     */
    public static void write(Path file, Sequential model) throws IOException {
        write(file, model, Map.of());
    }

    /**
     * Saves a model with metadata atomically.
     *
     * @param file     destination
     * @param model    the model
     * @param metadata free-form string pairs stored with it (at most 1000)
     * @throws IllegalArgumentException when a layer type cannot be stored or a weight is not finite
     * @throws IOException              when writing fails (the previous file is then untouched)
     */
    public static void write(Path file, Sequential model, Map<String, String> metadata) throws IOException {
        JsonLimits.DEFAULT.requireWritable(file, MemoryCost.of(model).parameterCount());
        Map<String, String> meta = check(model, metadata);
        AtomicFiles.write(file, out -> writeJson(out, model, meta));
        LOG.debug("wrote {} ({} parameters)", file, model.parameterCount());
    }

    /**
     * Writes a model with metadata to a stream, as {@link #write(Path, Sequential, Map)} writes a file
     * (for containers that embed a model, such as checkpoints).
     *
     * @param out      destination (not closed)
     * @param model    the model
     * @param metadata free-form string pairs stored with it (at most 1000)
     * @throws IllegalArgumentException when a layer type cannot be stored or a weight is not finite
     * @throws IOException              when writing fails
     */
    public static void write(OutputStream out, Sequential model, Map<String, String> metadata) throws IOException {
        writeJson(out, model, check(model, metadata));
    }

    private static Map<String, String> check(Sequential model, Map<String, String> metadata) {
        for (Layer l : model.layers()) {
            LayerCodecs.standard().checkStorable(l);
        }
        if (metadata.size() > MAX_METADATA) {
            throw new IllegalArgumentException("at most " + MAX_METADATA + " metadata entries, got " + metadata.size());
        }
        PaperFormat.checkFinite(model);
        LayerCodecs.checkFiniteState(model);
        return new java.util.TreeMap<>(metadata);
    }

    private static void writeJson(OutputStream out, Sequential model, Map<String, String> meta) throws IOException {
        List<Layer> layers = model.layers();
        LayerCodecs codecs = LayerCodecs.standard();
        try (JsonGenerator g = JsonOut.open(out, false)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> e : meta.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeFieldName("input");
            int[] in = model.inputShape().dims();
            g.writeArray(in, 0, in.length);
            g.writeNumberField("seed", model.seed());
            g.writeStringField("init", model.initPreset().name());
            g.writeArrayFieldStart("layers");
            for (Layer l : layers) {
                codecs.writeEntry(l, g);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("parameters");
            for (int i = 0; i < layers.size(); i++) {
                List<ParamSpec> specs = codecs.parameters(layers.get(i), model.shapes().get(i));
                List<Parameter> stored = LayerCodecs.stored(layers.get(i));
                checkSpecs(i, stored, specs);
                for (int j = 0; j < stored.size(); j++) {
                    Parameter p = stored.get(j);
                    g.writeStartObject();
                    g.writeNumberField("layer", i);
                    g.writeStringField("name", specs.get(j).name());
                    g.writeFieldName("shape");
                    int[] dims = p.shape().dims();
                    g.writeArray(dims, 0, dims.length);
                    g.writeStringField("encoding", ENCODING);
                    ByteBuffer bb = ByteBuffer.allocate(4 * p.size()).order(ByteOrder.LITTLE_ENDIAN);
                    bb.asFloatBuffer().put(p.value());
                    g.writeFieldName("data");
                    g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bb.array(), 0, bb.capacity());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /**
     * Loads a model.
     *
     * @param file a native model file
     * @return the model with its weights
     * @throws FormatException naming the file and the field when anything is wrong (see the class description)
     * @throws IOException     when reading fails
     */
    public static Sequential read(Path file) throws IOException {
        return readWithMetadata(file, JsonLimits.DEFAULT).model();
    }

    /**
     * Loads a model and its metadata.
     *
     * @param file a native model file
     * @return the model and metadata
     * @throws IOException as {@link #read(Path)}
     */
    public static NativeModel readWithMetadata(Path file) throws IOException {
        return readWithMetadata(file, JsonLimits.DEFAULT);
    }

    /**
     * Loads a model and its metadata under explicit limits.
     *
     * @param file   a native model file
     * @param limits size limits
     * @return the model and metadata
     * @throws IOException as {@link #read(Path)}
     */
    public static NativeModel readWithMetadata(Path file, JsonLimits limits) throws IOException {
        Doc d = parse(JsonIn.open(file, limits), file);
        return build(file, d, limits, false);
    }

    /**
     * Loads an architecture: a native model file whose {@code parameters} field may be absent. Such a
     * file describes an untrained model, whose parameters are initialized from its {@code seed} and
     * {@code init} preset exactly as {@code Sequential.builder(...).seed(seed).init(init).build()}
     * would; its {@code metadata} can carry training settings (see {@code cnn-examples/configs/modern.json}).
     * A file with {@code parameters} loads as with {@link #readWithMetadata(Path)}.
     *
     * @param file a native model file, with or without {@code parameters}
     * @return the model (initialized, or with the file's weights) and metadata
     * @throws IOException as {@link #read(Path)}
     */
    public static NativeModel readArchitecture(Path file) throws IOException {
        Doc d = parse(JsonIn.open(file, JsonLimits.DEFAULT), file);
        return build(file, d, JsonLimits.DEFAULT, true);
    }

    /**
     * Loads a model and its metadata from a stream holding exactly one native model document (for
     * containers that embed a model, such as checkpoints), with all the checks of {@link #read(Path)}.
     *
     * @param in     the stream (closed when done)
     * @param length its length in bytes, checked against the limits
     * @param source the file it comes from, named in error messages (may be null)
     * @param limits size limits
     * @return the model and metadata
     * @throws FormatException naming the source and the field when anything is wrong
     * @throws IOException     when reading fails
     */
    public static NativeModel read(InputStream in, long length, Path source, JsonLimits limits) throws IOException {
        Doc d = parse(JsonIn.open(in, length, source, limits), source);
        return build(source, d, limits, false);
    }

    // ----- parsing -----

    private static final class Doc {
        String format;
        Long version;
        Map<String, String> metadata = Map.of();
        int[] input;
        Long seed;
        String init;
        List<LayerEntry> layers;
        List<ParamDoc> parameters;
        final List<String> unknown = new ArrayList<>();
    }


    private static final class ParamDoc {
        Integer layer;
        String name;
        int[] shape;
        String encoding;
        float[] data;
    }

    private static Doc parse(JsonIn opened, Path file) throws IOException {
        try (JsonIn in = opened) {
            in.startObject(null);
            Doc d = new Doc();
            String key;
            while ((key = in.nextField()) != null) {
                switch (key) {
                    case "format" -> d.format = in.string(key, 100);
                    case "version" -> d.version = in.longValue(key, Long.MIN_VALUE, Long.MAX_VALUE);
                    case "metadata" -> d.metadata = readMetadata(in, key);
                    case "input" -> d.input = in.intArray(key, 4, 1, 1 << 24);
                    case "seed" -> d.seed = in.longValue(key, Long.MIN_VALUE, Long.MAX_VALUE);
                    case "init" -> d.init = in.string(key, 100);
                    case "layers" -> d.layers = readLayers(in, key, new int[] {in.limits.maxLayers()});
                    case "parameters" -> d.parameters = readParams(in, key);
                    default -> {
                        d.unknown.add(key);
                        in.skip();
                    }
                }
            }
            in.requireEnd();
            return d;
        } catch (JsonProcessingException e) {
            throw JsonIn.malformed(file, e);
        }
    }

    private static Map<String, String> readMetadata(JsonIn in, String field) throws IOException {
        in.requireObject(field);
        Map<String, String> m = new LinkedHashMap<>();
        String key;
        while ((key = in.nextField()) != null) {
            if (m.size() >= MAX_METADATA) {
                throw in.fail(field, "more than " + MAX_METADATA + " entries");
            }
            if (key.length() > MAX_METADATA_CHARS) {
                throw in.fail(field, "a key longer than " + MAX_METADATA_CHARS + " characters");
            }
            m.put(key, in.string(field + "." + key, MAX_METADATA_CHARS));
        }
        return m;
    }

    /**
     * Reads an array of layer objects; {@code left[0]} counts down the layers the reader still
     * accepts, nested ones included.
     */
    private static List<LayerEntry> readLayers(JsonIn in, String field, int[] left) throws IOException {
        in.requireArray(field);
        List<LayerEntry> out = new ArrayList<>();
        while (in.nextElement()) {
            out.add(readLayer(in, field + "[" + out.size() + "]", left));
        }
        return out;
    }

    private static LayerEntry readLayer(JsonIn in, String f, int[] left) throws IOException {
        if (left[0]-- <= 0) {
            throw in.fail(f, "more than " + in.limits.maxLayers() + " layers, the reader's limit");
        }
        in.requireObject(f);
        String type = null;
        Map<String, Object> options = new LinkedHashMap<>();
        String key;
        while ((key = in.nextField()) != null) {
            if (key.equals("type")) {
                type = in.string(f + ".type", 100);
            } else {
                if (options.size() >= 64) {
                    throw in.fail(f, "more than 64 options");
                }
                options.put(key, optionValue(in, f + "." + key, left));
            }
        }
        if (type == null) {
            throw in.fail(f, "field 'type' is missing");
        }
        return new LayerEntry(type, options);
    }

    private static Object optionValue(JsonIn in, String field, int[] left) throws IOException {
        JsonToken t = in.p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (in.p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw in.error(field, "an integer within 64 bits");
            }
            return in.p.getLongValue();
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return in.p.getDoubleValue();
        } else if (t == JsonToken.VALUE_STRING) {
            return in.string(field, 1000);
        } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        } else if (t == JsonToken.START_OBJECT) {
            return readLayer(in, field, left);
        } else if (t == JsonToken.START_ARRAY) {
            return arrayValue(in, field, left);
        }
        throw in.error(field, "an integer, a number, a string, a boolean, a layer object or an array of integers or layer objects");
    }

    /** An array of at most 16 integers (as long[]) or of layer objects (as a List of LayerEntry). */
    private static Object arrayValue(JsonIn in, String field, int[] left) throws IOException {
        List<Long> ints = new ArrayList<>();
        List<LayerEntry> layers = new ArrayList<>();
        while (in.nextElement()) {
            String f = field + "[" + (ints.size() + layers.size()) + "]";
            if (in.p.currentToken() == JsonToken.START_OBJECT && ints.isEmpty()) {
                layers.add(readLayer(in, f, left));
            } else if (layers.isEmpty()) {
                if (ints.size() >= 16) {
                    throw in.fail(field, "expected at most 16 integers" + in.line());
                }
                ints.add(in.longValue(f, Integer.MIN_VALUE, Integer.MAX_VALUE));
            } else {
                throw in.error(f, "a layer object (the first elements are layer objects)");
            }
        }
        if (!layers.isEmpty()) {
            return layers;
        }
        long[] a = new long[ints.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ints.get(i);
        }
        return a;
    }

    /** The codec's specs must describe the built layer's arrays, one for one (a codec bug otherwise). */
    private static void checkSpecs(int layer, List<Parameter> built, List<ParamSpec> specs) {
        if (built.size() != specs.size()) {
            throw new IllegalStateException("layer " + layer + " has " + built.size() + " arrays, its codec lists " + specs.size());
        }
        for (int j = 0; j < specs.size(); j++) {
            if (!Arrays.equals(built.get(j).shape().dims(), specs.get(j).shape())) {
                throw new IllegalStateException("layer " + layer + " has " + built.get(j) + ", its codec lists " + specs.get(j).name()
                        + specs.get(j).shapeText());
            }
        }
    }

    private static List<ParamDoc> readParams(JsonIn in, String field) throws IOException {
        in.requireArray(field);
        List<ParamDoc> out = new ArrayList<>();
        while (in.nextElement()) {
            String f = field + "[" + out.size() + "]";
            if (out.size() >= 16L * in.limits.maxLayers()) {
                throw in.fail(field, "more than " + 16L * in.limits.maxLayers() + " parameters");
            }
            in.requireObject(f);
            ParamDoc p = new ParamDoc();
            String key;
            while ((key = in.nextField()) != null) {
                String k = f + "." + key;
                switch (key) {
                    case "layer" -> p.layer = in.intValue(k, 0, Integer.MAX_VALUE);
                    case "name" -> p.name = in.string(k, 100);
                    case "shape" -> p.shape = in.intArray(k, 8, 0, Integer.MAX_VALUE);
                    case "encoding" -> p.encoding = in.string(k, 100);
                    case "data" -> p.data = readData(in, k);
                    default -> throw in.fail(f, "unknown field '" + JsonIn.abbreviate(key) + "', expected layer, name, shape, encoding, data");
                }
            }
            for (String req : new String[] {"layer", "name", "shape", "encoding", "data"}) {
                boolean present = switch (req) {
                    case "layer" -> p.layer != null;
                    case "name" -> p.name != null;
                    case "shape" -> p.shape != null;
                    case "encoding" -> p.encoding != null;
                    default -> p.data != null;
                };
                if (!present) {
                    throw in.fail(f, "field '" + req + "' is missing");
                }
            }
            if (!ENCODING.equals(p.encoding)) {
                throw in.fail(f + ".encoding", "expected \"" + ENCODING + "\", found \"" + JsonIn.abbreviate(p.encoding) + "\"");
            }
            out.add(p);
        }
        return out;
    }

    private static float[] readData(JsonIn in, String field) throws IOException {
        if (in.p.currentToken() != JsonToken.VALUE_STRING) {
            throw in.error(field, "a base64 string");
        }
        long maxBytes = Math.min(4L * in.valuesLeft(), Integer.MAX_VALUE - 16L);
        BoundedBytes buf = new BoundedBytes(maxBytes, in, field);
        try {
            in.p.readBinaryValue(Base64Variants.MIME_NO_LINEFEEDS, buf);
        } catch (IllegalArgumentException e) {
            // Jackson reports some invalid base64 this way rather than as a parse exception.
            throw in.fail(field, "invalid base64: " + e.getMessage() + in.line());
        }
        if (buf.size % 4 != 0) {
            throw in.fail(field, "decodes to " + buf.size + " bytes, expected a multiple of 4 (float32 values)");
        }
        int n = buf.size / 4;
        in.spend(n, field);
        float[] v = new float[n];
        ByteBuffer.wrap(buf.bytes, 0, buf.size).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(v[i])) {
                throw in.fail(field, "value " + i + " is " + v[i] + ", expected a finite number");
            }
        }
        return v;
    }

    /** Collects decoded bytes, refusing to grow past a bound. */
    private static final class BoundedBytes extends OutputStream {
        private final long max;
        private final JsonIn in;
        private final String field;
        byte[] bytes = new byte[1024];
        int size;

        BoundedBytes(long max, JsonIn in, String field) {
            this.max = max;
            this.in = in;
            this.field = field;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (size + (long) len > max) {
                throw in.fail(field, "holds more than " + max / 4 + " values, the most the reader's limit of "
                        + in.limits.maxValues() + " per file leaves");
            }
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max(2L * bytes.length, size + (long) len)));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    }

    // ----- building -----

    private static NativeModel build(Path file, Doc d, JsonLimits limits, boolean architectureOnly) throws FormatException {
        if (d.format == null) {
            boolean paper = d.unknown.contains("convolutional_layers");
            throw new FormatException(file, "field 'format' is missing: expected a " + FORMAT + " file"
                    + (paper ? " (this looks like a model in the paper's format; read it with PaperFormat)" : ""));
        }
        if (!FORMAT.equals(d.format)) {
            throw new FormatException(file, "field 'format': expected \"" + FORMAT + "\", found \"" + JsonIn.abbreviate(d.format) + "\"");
        }
        if (d.version == null) {
            throw new FormatException(file, "field 'version' is missing");
        }
        if (d.version > VERSION) {
            throw new FormatException(file, "version " + d.version + " is newer than this cnn4j reads (" + VERSION + "); upgrade cnn4j");
        }
        if (d.version < 1) {
            throw new FormatException(file, "field 'version': expected 1.." + VERSION + ", found " + d.version);
        }
        if (!d.unknown.isEmpty()) {
            throw new FormatException(file, "unknown field(s) " + new TreeSet<>(d.unknown) + " in a version " + d.version + " file");
        }
        if (d.input == null) {
            throw new FormatException(file, "field 'input' is missing");
        }
        if (d.input.length == 0) {
            throw new FormatException(file, "field 'input': expected 1 to 4 dimensions, found none");
        }
        if (d.layers == null) {
            throw new FormatException(file, "field 'layers' is missing");
        }
        if (d.layers.isEmpty()) {
            throw new FormatException(file, "field 'layers': expected at least one layer, found none");
        }
        boolean fresh = d.parameters == null;
        if (fresh && !architectureOnly) {
            throw new FormatException(file, "field 'parameters' is missing (a file without weights is an architecture: "
                    + "read it with NativeModelFormat.readArchitecture, or train it with 'cnn4j modern')");
        }
        if (fresh) {
            d.parameters = List.of();
        }
        InitPreset preset = InitPreset.PAPER;
        if (d.init != null) {
            preset = null;
            for (InitPreset p : InitPreset.values()) {
                if (p.name().equals(d.init)) {
                    preset = p;
                }
            }
            if (preset == null) {
                throw new FormatException(file, "field 'init': expected one of " + Arrays.toString(InitPreset.values()) + ", found \""
                        + JsonIn.abbreviate(d.init) + "\"");
            }
        }
        Shape input;
        try {
            input = Shape.of(d.input);
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, "field 'input': " + e.getMessage(), e);
        }

        // Configure the layers and infer every shape, without allocating any parameter.
        LayerCodecs codecs = LayerCodecs.standard();
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < d.layers.size(); i++) {
            layers.add(codecs.readEntry(file, d.layers.get(i), "layers[" + i + "]"));
        }
        List<Shape> shapes;
        try {
            shapes = Sequential.plan(layers, input);
        } catch (PlanException e) {
            throw new FormatException(file, "layers[" + e.layer() + "] (" + d.layers.get(e.layer()).type() + "): " + e.reason(), e);
        }
        List<List<ParamSpec>> expected = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            List<ParamSpec> ps = codecs.parameters(layers.get(i), shapes.get(i));
            for (ParamSpec p : ps) {
                total += p.count();
            }
            if (total > limits.maxValues()) {
                throw new FormatException(file, "the architecture has more than " + limits.maxValues() + " parameters, the reader's limit");
            }
            expected.add(ps);
        }

        // Match the file's parameters to the architecture's.
        float[][][] values = new float[layers.size()][][];
        for (int i = 0; i < layers.size(); i++) {
            values[i] = new float[expected.get(i).size()][];
        }
        for (int k = 0; k < d.parameters.size(); k++) {
            ParamDoc p = d.parameters.get(k);
            String f = "parameters[" + k + "]";
            if (p.layer >= layers.size()) {
                throw new FormatException(file, f + ".layer: expected a layer index 0.." + (layers.size() - 1) + ", found " + p.layer);
            }
            List<ParamSpec> ps = expected.get(p.layer);
            int idx = -1;
            for (int j = 0; j < ps.size(); j++) {
                if (ps.get(j).name().equals(p.name)) {
                    idx = j;
                }
            }
            String owner = "layers[" + p.layer + "] (" + d.layers.get(p.layer).type() + ")";
            if (idx < 0) {
                List<String> names = ps.stream().map(ParamSpec::name).toList();
                throw new FormatException(file, f + ": " + owner + " has no parameter '" + JsonIn.abbreviate(p.name) + "'"
                        + (names.isEmpty() ? "; it has no parameters" : ", expected one of " + names));
            }
            if (values[p.layer][idx] != null) {
                throw new FormatException(file, f + ": " + owner + " parameter '" + p.name + "' appears twice");
            }
            ParamSpec spec = ps.get(idx);
            if (!Arrays.equals(spec.shape(), p.shape)) {
                throw new FormatException(file, f + " (" + owner + " " + p.name + "): expected shape " + spec.shapeText() + ", found "
                        + Arrays.toString(p.shape));
            }
            if (p.data.length != spec.count()) {
                throw new FormatException(file, f + " (" + owner + " " + p.name + "): shape " + spec.shapeText() + " needs "
                        + spec.count() + " values, the data holds " + p.data.length);
            }
            values[p.layer][idx] = p.data;
        }
        for (int i = 0; i < layers.size(); i++) {
            for (int j = 0; j < values[i].length; j++) {
                if (values[i][j] == null && !fresh) {
                    ParamSpec spec = expected.get(i).get(j);
                    throw new FormatException(file, "layers[" + i + "] (" + d.layers.get(i).type() + "): parameter '" + spec.name() + "' "
                            + spec.shapeText() + " is missing from 'parameters'");
                }
            }
        }

        Sequential model;
        try {
            Sequential.Builder builder = Sequential.of(layers).input(input).seed(d.seed == null ? 0 : d.seed).init(preset);
            ModelMemory.require(file, builder);
            model = builder.build();
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, "the architecture cannot be built: " + e.getMessage(), e);
        }
        for (int i = 0; i < layers.size(); i++) {
            List<Parameter> built = LayerCodecs.stored(model.layers().get(i));
            checkSpecs(i, built, expected.get(i));
            if (!fresh) {
                for (int j = 0; j < built.size(); j++) {
                    built.get(j).set(values[i][j]);
                }
            }
        }
        LOG.debug("read {} ({} layers, {} parameters)", file, layers.size(), model.parameterCount());
        return new NativeModel(model, d.metadata);
    }
}
