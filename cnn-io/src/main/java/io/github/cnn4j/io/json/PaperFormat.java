package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.FileNames;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.model.MemoryCost;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's JSON formats: configs ({@code config_A.json}) and trained models ({@code CNN_A.json}).
 *
 * <h2>Config</h2>
 * <pre>{@code
 * { "seed": 98524352, "learning_rate": 0.01, "epochs": 1000, "output_filename": "CNN_F",
 *   "convolutional_layers": [ { "kernel_count": 8, "kernel_dim": 3, "padding": 1, "pooling_dim": 3 }, ... ],
 *   "fully_connected_layers": [ { "node_count": 20 } ] }
 * }</pre>
 * {@code fully_connected_layers} may be empty or absent; every other field is required. See
 * {@link PaperConfig} for the architecture it describes.
 *
 * <h2>Trained model</h2>
 * The config plus {@code trained_epochs}; in each conv layer {@code weights} as
 * {@code [kernel][input_channel][row][col]} (cnn4j's {@code Conv} layout {@code (F, C, KH, KW)}) and
 * {@code biases} as {@code [kernel]}; in each fully connected layer {@code weights} as {@code [input][node]}
 * (cnn4j's {@code Dense} layout {@code (I, U)}) and {@code biases} as {@code [node]};
 * {@code output_layer: { weights: [input][10], biases: [10] }}.
 *
 * <p>Reading checks every field and every array's shape against the architecture, rejects NaN,
 * infinities and non-numbers, and returns a model only when everything loaded. Unknown fields are
 * ignored. Errors are {@link FormatException}s naming the file and the field, e.g.
 * {@code convolutional_layers[1].weights: expected shape [8, 8, 3, 3], found [8, 8, 3]}.
 * Writing is atomic; weights are written as the shortest decimals that read back to the same floats.
 */
public final class PaperFormat {
    private static final Logger LOG = LoggerFactory.getLogger(PaperFormat.class);
    private static final int MAX_KERNELS = 1 << 16;
    private static final int MAX_DIM = 1 << 12;
    private static final int MAX_NODES = 1 << 24;

    private PaperFormat() {
    }

    /**
     * Reads a config (a model file is read as its config; its weights are skipped).
     *
     * @param file the JSON file
     * @return the config
     * @throws FormatException naming the field when a field is missing or wrong, or the JSON is malformed
     * @throws IOException     when reading fails
     */
    public static PaperConfig readConfig(Path file) throws IOException {
        return readConfig(file, JsonLimits.DEFAULT);
    }

    /**
     * @param file   the JSON file
     * @param limits size limits
     * @return the config
     * @throws IOException as {@link #readConfig(Path)}
     */
    public static PaperConfig readConfig(Path file, JsonLimits limits) throws IOException {
        Doc d = parse(file, limits, false);
        PaperConfig config = toConfig(file, d);
        checkArchitecture(file, config, limits);
        long params = ModelMemory.cost(file, config).parameterCount();
        if (params > limits.maxWritableValues()) {
            throw new FormatException(file, "the architecture has " + params + " parameters: the model files a run "
                    + "writes could exceed the readers' limit of " + limits.maxFileBytes() + " bytes (at most " + limits.maxWritableValues()
                    + " parameters)");
        }
        ModelMemory.require(file, config);
        return config;
    }

    /**
     * Reads a trained model.
     *
     * @param file the JSON file
     * @return its config, trained epochs and the model with its weights
     * @throws FormatException naming the field (and for arrays the expected and found shape) when anything
     *                         is missing, wrong, not finite, or the JSON is malformed or beyond the limits
     * @throws IOException     when reading fails
     */
    public static PaperModel readModel(Path file) throws IOException {
        return readModel(file, JsonLimits.DEFAULT);
    }

    /**
     * @param file   the JSON file
     * @param limits size limits
     * @return the model
     * @throws IOException as {@link #readModel(Path)}
     */
    public static PaperModel readModel(Path file, JsonLimits limits) throws IOException {
        Doc d = parse(file, limits, true);
        PaperConfig config = toConfig(file, d);
        int[][] convIn = checkArchitecture(file, config, limits);
        if (d.trainedEpochs == null) {
            throw missing(file, "trained_epochs");
        }
        // Check every array before building anything.
        for (int i = 0; i < d.conv.size(); i++) {
            ConvDoc c = d.conv.get(i);
            String f = "convolutional_layers[" + i + "]";
            expectShape(file, f + ".weights", c.weights, "(kernel, input channel, row, column)",
                    c.kernelCount, convIn[i][0], c.kernelDim, c.kernelDim);
            expectShape(file, f + ".biases", c.biases, "(kernel)", c.kernelCount);
        }
        int in = convIn[d.conv.size()][0] * convIn[d.conv.size()][1] * convIn[d.conv.size()][2];
        for (int j = 0; j < d.fc.size(); j++) {
            DenseDoc fc = d.fc.get(j);
            String f = "fully_connected_layers[" + j + "]";
            expectShape(file, f + ".weights", fc.weights, "(input, node)", in, fc.nodeCount);
            expectShape(file, f + ".biases", fc.biases, "(node)", fc.nodeCount);
            in = fc.nodeCount;
        }
        if (d.output == null) {
            throw missing(file, "output_layer");
        }
        expectShape(file, "output_layer.weights", d.output.weights, "(input, node)", in, PaperConfig.CLASSES);
        expectShape(file, "output_layer.biases", d.output.biases, "(node)", PaperConfig.CLASSES);

        ModelMemory.require(file, config);
        Sequential model;
        try {
            model = config.buildModel();
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, "the architecture cannot be built: " + e.getMessage(), e);
        }
        List<ParsedArray> values = new ArrayList<>();
        for (ConvDoc c : d.conv) {
            values.add(c.weights);
            values.add(c.biases);
        }
        for (DenseDoc fc : d.fc) {
            values.add(fc.weights);
            values.add(fc.biases);
        }
        values.add(d.output.weights);
        values.add(d.output.biases);
        List<Parameter> params = model.parameters();
        if (params.size() != values.size()) {
            throw new IllegalStateException("paper model has " + params.size() + " parameters, expected " + values.size());
        }
        for (int k = 0; k < params.size(); k++) {
            params.get(k).set(values.get(k).values());
        }
        LOG.debug("read paper model {} ({} parameters)", file, model.parameterCount());
        return new PaperModel(config, d.trainedEpochs, model);
    }

    /**
     * Writes a config atomically, in the paper's layout.
     *
     * @param file   destination
     * @param config the config
     * @throws IOException when writing fails (the previous file is then untouched)
     */
    public static void writeConfig(Path file, PaperConfig config) throws IOException {
        AtomicFiles.write(file, out -> {
            try (JsonGenerator g = JsonOut.open(out, true)) {
                g.writeStartObject();
                writeSettings(g, config.training());
                writeLayers(g, config, null);
                g.writeEndObject();
            }
        });
    }

    /**
     * Writes a trained model atomically, in the paper's layout.
     *
     * @param file  destination
     * @param model the model and its config
     * @throws IllegalArgumentException when a weight is NaN or infinite
     * @throws IOException              when writing fails (the previous file is then untouched)
     */
    public static void writeModel(Path file, PaperModel model) throws IOException {
        JsonLimits.DEFAULT.requireWritable(file, model.model().parameterCount());
        checkFinite(model.model());
        AtomicFiles.write(file, out -> {
            try (JsonGenerator g = JsonOut.open(out, true)) {
                g.writeStartObject();
                writeSettings(g, model.config().training());
                writeLayers(g, model.config(), model.model());
                g.writeNumberField("trained_epochs", model.trainedEpochs());
                List<Dense> dense = denseLayers(model.model());
                Dense outLayer = dense.get(dense.size() - 1);
                g.writeObjectFieldStart("output_layer");
                writeDense(g, outLayer);
                g.writeEndObject();
                g.writeEndObject();
            }
        });
    }

    /**
     * Writes a model of the paper's architecture family atomically, in the paper's layout.
     *
     * @param file          destination
     * @param model         the model
     * @param training      the settings to store with it
     * @param trainedEpochs epochs trained
     * @throws IllegalArgumentException when the paper's format cannot express the model, or a weight is not finite
     * @throws IOException              when writing fails
     */
    public static void writeModel(Path file, Sequential model, TrainingSettings training, int trainedEpochs) throws IOException {
        writeModel(file, PaperModel.of(model, training, trainedEpochs));
    }

    // ----- writing -----

    private static void writeSettings(JsonGenerator g, TrainingSettings t) throws IOException {
        g.writeNumberField("seed", t.seed());
        g.writeNumberField("learning_rate", t.learningRate());
        g.writeNumberField("epochs", t.epochs());
        g.writeStringField("output_filename", t.outputFilename());
    }

    private static void writeLayers(JsonGenerator g, PaperConfig c, Sequential model) throws IOException {
        List<Conv> convs = new ArrayList<>();
        List<Dense> dense = new ArrayList<>();
        if (model != null) {
            for (Layer l : model.layers()) {
                if (l instanceof Conv cv) {
                    convs.add(cv);
                }
            }
            dense = denseLayers(model);
        }
        g.writeArrayFieldStart("convolutional_layers");
        for (int i = 0; i < c.convolutionalLayers().size(); i++) {
            PaperConvLayer cl = c.convolutionalLayers().get(i);
            g.writeStartObject();
            g.writeNumberField("kernel_count", cl.kernelCount());
            g.writeNumberField("kernel_dim", cl.kernelDim());
            g.writeNumberField("padding", cl.padding());
            g.writeNumberField("pooling_dim", cl.poolingDim());
            if (model != null) {
                Conv cv = convs.get(i);
                g.writeFieldName("weights");
                writeNested(g, cv.weight().value(), cv.weight().shape().dims(), 0, 0);
                g.writeFieldName("biases");
                writeNested(g, cv.bias().value(), cv.bias().shape().dims(), 0, 0);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("fully_connected_layers");
        for (int j = 0; j < c.hiddenLayers().size(); j++) {
            g.writeStartObject();
            g.writeNumberField("node_count", c.hiddenLayers().get(j));
            if (model != null) {
                writeDense(g, dense.get(j));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeDense(JsonGenerator g, Dense d) throws IOException {
        g.writeFieldName("weights");
        writeNested(g, d.weight().value(), d.weight().shape().dims(), 0, 0);
        g.writeFieldName("biases");
        writeNested(g, d.bias().value(), d.bias().shape().dims(), 0, 0);
    }

    /** Writes values of the given row-major shape as nested arrays; returns the next offset. */
    private static int writeNested(JsonGenerator g, float[] v, int[] dims, int depth, int off) throws IOException {
        g.writeStartArray();
        int o = off;
        if (depth == dims.length - 1) {
            for (int i = 0; i < dims[depth]; i++) {
                g.writeNumber(v[o++]);
            }
        } else {
            for (int i = 0; i < dims[depth]; i++) {
                o = writeNested(g, v, dims, depth + 1, o);
            }
        }
        g.writeEndArray();
        return o;
    }

    private static List<Dense> denseLayers(Sequential model) {
        List<Dense> out = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (l instanceof Dense d) {
                out.add(d);
            }
        }
        return out;
    }

    static void checkFinite(Sequential model) {
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                float[] v = p.value();
                for (int k = 0; k < v.length; k++) {
                    if (!Float.isFinite(v[k])) {
                        throw new IllegalArgumentException("layer " + i + " " + layers.get(i).name() + " " + p.name() + "[" + k
                                + "] is " + v[k] + "; a model with non-finite weights cannot be saved");
                    }
                }
            }
        }
    }

    // ----- reading -----

    private static final class Doc {
        Long seed;
        Double learningRate;
        Integer epochs;
        String outputFilename;
        Integer trainedEpochs;
        List<ConvDoc> conv;
        List<DenseDoc> fc;
        DenseDoc output;
    }

    private static final class ConvDoc {
        Integer kernelCount;
        Integer kernelDim;
        Integer padding;
        Integer poolingDim;
        ParsedArray weights;
        ParsedArray biases;
    }

    private static final class DenseDoc {
        Integer nodeCount;
        ParsedArray weights;
        ParsedArray biases;
    }

    private static Doc parse(Path file, JsonLimits limits, boolean weights) throws IOException {
        try (JsonIn in = JsonIn.open(file, limits)) {
            in.startObject(null);
            Doc d = new Doc();
            String key;
            while ((key = in.nextField()) != null) {
                switch (key) {
                    case "seed" -> d.seed = in.longValue(key, Long.MIN_VALUE, Long.MAX_VALUE);
                    case "learning_rate" -> d.learningRate = in.positiveNumber(key);
                    case "epochs" -> d.epochs = in.intValue(key, 1, Integer.MAX_VALUE);
                    case "output_filename" -> {
                        d.outputFilename = in.string(key, 1024);
                        String problem = FileNames.problem(d.outputFilename);
                        if (problem != null) {
                            throw in.fail(key, "expected a plain file name (the stem of the run's output files, no directories), found "
                                    + JsonIn.quote(d.outputFilename) + ": " + problem + in.line());
                        }
                    }
                    case "trained_epochs" -> d.trainedEpochs = in.intValue(key, 0, Integer.MAX_VALUE);
                    case "convolutional_layers" -> d.conv = readConvs(in, key, weights);
                    case "fully_connected_layers" -> d.fc = readDenses(in, key, weights);
                    case "output_layer" -> {
                        if (weights) {
                            d.output = readDense(in, key, weights, false);
                        } else {
                            in.skip();
                        }
                    }
                    default -> {
                        LOG.debug("{}: ignoring unknown field '{}'", file, key);
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

    private static List<ConvDoc> readConvs(JsonIn in, String field, boolean weights) throws IOException {
        in.requireArray(field);
        List<ConvDoc> out = new ArrayList<>();
        while (in.nextElement()) {
            String f = field + "[" + out.size() + "]";
            if (out.size() >= in.limits.maxLayers()) {
                throw in.fail(field, "more than " + in.limits.maxLayers() + " layers");
            }
            in.requireObject(f);
            ConvDoc c = new ConvDoc();
            String key;
            while ((key = in.nextField()) != null) {
                String k = f + "." + key;
                switch (key) {
                    case "kernel_count" -> c.kernelCount = in.intValue(k, 1, MAX_KERNELS);
                    case "kernel_dim" -> c.kernelDim = in.intValue(k, 1, MAX_DIM);
                    case "padding" -> c.padding = in.intValue(k, 0, MAX_DIM);
                    case "pooling_dim" -> c.poolingDim = in.intValue(k, 1, MAX_DIM);
                    case "weights" -> c.weights = weights ? in.numberArray(k, 4) : skipped(in);
                    case "biases" -> c.biases = weights ? in.numberArray(k, 1) : skipped(in);
                    default -> in.skip();
                }
            }
            out.add(c);
        }
        return out;
    }

    private static List<DenseDoc> readDenses(JsonIn in, String field, boolean weights) throws IOException {
        in.requireArray(field);
        List<DenseDoc> out = new ArrayList<>();
        while (in.nextElement()) {
            if (out.size() >= in.limits.maxLayers()) {
                throw in.fail(field, "more than " + in.limits.maxLayers() + " layers");
            }
            out.add(readDense(in, field + "[" + out.size() + "]", weights, true));
        }
        return out;
    }

    private static DenseDoc readDense(JsonIn in, String f, boolean weights, boolean hidden) throws IOException {
        in.requireObject(f);
        DenseDoc c = new DenseDoc();
        String key;
        while ((key = in.nextField()) != null) {
            String k = f + "." + key;
            switch (key) {
                case "node_count" -> {
                    if (hidden) {
                        c.nodeCount = in.intValue(k, 1, MAX_NODES);
                    } else {
                        in.skip();
                    }
                }
                case "weights" -> c.weights = weights ? in.numberArray(k, 2) : skipped(in);
                case "biases" -> c.biases = weights ? in.numberArray(k, 1) : skipped(in);
                default -> in.skip();
            }
        }
        return c;
    }

    private static ParsedArray skipped(JsonIn in) throws IOException {
        in.skip();
        return null;
    }

    private static FormatException missing(Path file, String field) {
        return new FormatException(file, "field '" + field + "' is missing");
    }

    private static <T> T require(Path file, T value, String field) throws FormatException {
        if (value == null) {
            throw missing(file, field);
        }
        return value;
    }

    private static PaperConfig toConfig(Path file, Doc d) throws FormatException {
        TrainingSettings t = new TrainingSettings(require(file, d.seed, "seed"), require(file, d.learningRate, "learning_rate"),
                require(file, d.epochs, "epochs"), require(file, d.outputFilename, "output_filename"));
        require(file, d.conv, "convolutional_layers");
        if (d.conv.isEmpty()) {
            throw new FormatException(file, "field 'convolutional_layers': expected at least one layer, found an empty array");
        }
        List<PaperConvLayer> convs = new ArrayList<>();
        for (int i = 0; i < d.conv.size(); i++) {
            ConvDoc c = d.conv.get(i);
            String f = "convolutional_layers[" + i + "].";
            convs.add(new PaperConvLayer(require(file, c.kernelCount, f + "kernel_count"), require(file, c.kernelDim, f + "kernel_dim"),
                    require(file, c.padding, f + "padding"), require(file, c.poolingDim, f + "pooling_dim")));
        }
        if (d.fc == null) {
            d.fc = List.of();
        }
        List<Integer> hidden = new ArrayList<>();
        for (int j = 0; j < d.fc.size(); j++) {
            hidden.add(require(file, d.fc.get(j).nodeCount, "fully_connected_layers[" + j + "].node_count"));
        }
        return new PaperConfig(t, convs, hidden);
    }

    /**
     * Checks that every layer fits its input and the parameter count is within the limits, without
     * allocating anything.
     *
     * @return per conv layer its input {channels, height, width}; the last entry is the flattened input
     */
    private static int[][] checkArchitecture(Path file, PaperConfig c, JsonLimits limits) throws FormatException {
        List<PaperConvLayer> convs = c.convolutionalLayers();
        int[][] shapes = new int[convs.size() + 1][];
        long ch = 1;
        long h = PaperConfig.INPUT.height();
        long w = PaperConfig.INPUT.width();
        long params = 0;
        for (int i = 0; i < convs.size(); i++) {
            shapes[i] = new int[] {(int) ch, (int) h, (int) w};
            PaperConvLayer cl = convs.get(i);
            String f = "convolutional_layers[" + i + "]";
            long ph = h + 2L * cl.padding();
            long pw = w + 2L * cl.padding();
            if (cl.kernelDim() > ph || cl.kernelDim() > pw) {
                throw new FormatException(file, f + ": kernel_dim " + cl.kernelDim() + " does not fit its input of " + h + " x " + w
                        + " with padding " + cl.padding());
            }
            params += ch * cl.kernelCount() * cl.kernelDim() * (long) cl.kernelDim() + cl.kernelCount();
            h = ph - cl.kernelDim() + 1;
            w = pw - cl.kernelDim() + 1;
            if (cl.poolingDim() > h || cl.poolingDim() > w) {
                throw new FormatException(file, f + ": pooling_dim " + cl.poolingDim() + " is larger than the convolution's output of "
                        + h + " x " + w);
            }
            h /= cl.poolingDim();
            w /= cl.poolingDim();
            ch = cl.kernelCount();
            if (ch * h * w > Integer.MAX_VALUE) {
                throw new FormatException(file, f + ": output of " + ch + " x " + h + " x " + w + " values is too large");
            }
        }
        shapes[convs.size()] = new int[] {(int) ch, (int) h, (int) w};
        long in = ch * h * w;
        for (int n : c.hiddenLayers()) {
            params += in * n + n;
            in = n;
        }
        params += in * PaperConfig.CLASSES + PaperConfig.CLASSES;
        if (params > limits.maxValues()) {
            throw new FormatException(file, "the architecture has " + params + " parameters, more than the limit of " + limits.maxValues());
        }
        return shapes;
    }

    private static void expectShape(Path file, String field, ParsedArray a, String layout, int... expected) throws FormatException {
        if (a == null) {
            throw missing(file, field);
        }
        if (!a.hasShape(expected)) {
            throw new FormatException(file, field + ": expected shape " + Arrays.toString(expected) + " " + layout + ", found "
                    + a.shapeText());
        }
    }
}
