package io.github.cnn4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.ReadableFiles;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ModelProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TypeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an ONNX model into a {@link Sequential}, in pure Java, for the operators cnn4j's layers run:
 * {@code Conv} (2-D, group 1, dilations 1, symmetric pads), {@code Relu}, {@code Sigmoid},
 * {@code Tanh}, {@code MaxPool} and {@code AveragePool} (non-overlapping, unpadded),
 * {@code GlobalAveragePool}, {@code Gemm} and {@code MatMul} (+ {@code Add}),
 * {@code BatchNormalization} (inference), {@code Flatten} and {@code Reshape} to 2-D, {@code Add} (a
 * residual connection), {@code Softmax}, {@code Dropout} and {@code Identity} (no layer; a graph of
 * identities only becomes one {@code Dropout(0)}), plus the operators of every {@link OnnxCodec} on
 * the class path.
 *
 * <pre>{@code
 * Sequential model = OnnxImporter.read(Path.of("resnet-small.onnx"));
 * float[] p = model.predict(image);
 * }</pre>
 *
 * <p>The graph must have one float32 data input {@code [N, sample dims...]} (the first dimension is
 * the batch, symbolic or fixed) and one output; its weights must be initializers (or {@code Constant}
 * nodes) inside the file. Nodes are taken in topological order from the input; a value read by two
 * nodes must be the fork of a residual connection (two branches joined by {@code Add}). Anything
 * else is an {@link OnnxImportException} whose one-line message names the node, its operator and
 * what is supported. A hostile file is rejected before anything large is allocated: the file size
 * is limited, every tensor's dims are checked for overflow and against the size of its data,
 * external data is refused, and cycles and undefined inputs are found before any layer is made.
 */
public final class OnnxImporter {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxImporter.class);

    /** The largest file {@link #read(Path)} accepts: 1 GiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;

    /** Protobuf messages are limited to 2 GiB. */
    private static final long PROTOBUF_LIMIT = Integer.MAX_VALUE;

    private OnnxImporter() {
    }

    /**
     * Reads a {@code .onnx} file of at most {@value #DEFAULT_MAX_FILE_BYTES} bytes with the standard codecs.
     *
     * @param file the file
     * @return the model, built, with the file's weights
     * @throws FormatException naming the file and the problem when it cannot be imported
     * @throws IOException     when reading fails
     */
    public static Sequential read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_FILE_BYTES, OnnxCodecs.standard());
    }

    /**
     * Reads a {@code .onnx} file.
     *
     * @param file     the file
     * @param maxBytes the largest file accepted (at most 2 GiB, protobuf's limit)
     * @param codecs   the codecs to import with
     * @return the model
     * @throws FormatException naming the file and the problem when it is too large or cannot be imported
     * @throws IOException     when reading fails
     */
    public static Sequential read(Path file, long maxBytes, OnnxCodecs codecs) throws IOException {
        Objects.requireNonNull(codecs, "codecs");
        long size = ReadableFiles.requireRegular(file, "an ONNX model");
        long limit = Math.min(maxBytes, PROTOBUF_LIMIT);
        if (size > limit) {
            throw new FormatException(file, "the file has " + size + " bytes, more than the " + limit + " an ONNX model may have here");
        }
        // The bytes, then the parsed messages (at most about as large again).
        ReadableFiles.requireMemory(file, 2 * size, "the ONNX file and its parsed form");
        byte[] bytes = Files.readAllBytes(file);
        try {
            Sequential m = fromBytes(bytes, codecs);
            LOG.debug("imported ONNX model {} ({} bytes): {}", file, bytes.length, m);
            return m;
        } catch (OnnxImportException e) {
            throw new FormatException(file, e.getMessage(), e);
        }
    }

    /**
     * @param bytes the content of a {@code .onnx} file
     * @return the model, with the standard codecs
     * @throws OnnxImportException when it cannot be imported
     */
    public static Sequential fromBytes(byte[] bytes) throws OnnxImportException {
        return fromBytes(bytes, OnnxCodecs.standard());
    }

    /**
     * @param bytes  the content of a {@code .onnx} file
     * @param codecs the codecs to import with
     * @return the model
     * @throws OnnxImportException when it cannot be imported
     */
    public static Sequential fromBytes(byte[] bytes, OnnxCodecs codecs) throws OnnxImportException {
        ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException("not an ONNX model (protobuf: " + OnnxImport.clip(e.getMessage()) + ")", e);
        } catch (IOException e) {
            throw new OnnxImportException("not an ONNX model (" + OnnxImport.clip(e.getMessage()) + ")", e);
        }
        return fromModel(model, codecs);
    }

    /** Imports a parsed model. */
    static Sequential fromModel(ModelProto model, OnnxCodecs codecs) throws OnnxImportException {
        if (!model.hasGraph()) {
            throw new OnnxImportException("not an ONNX model: it has no graph");
        }
        if (model.getFunctionsCount() > 0 || model.getTrainingInfoCount() > 0) {
            throw new OnnxImportException("the model has model-local functions or training information, which cnn4j does not import");
        }
        int opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) Math.min(o.getVersion(), Integer.MAX_VALUE);
            }
        }
        if (opset < 1) {
            throw new OnnxImportException("the model imports no version of the default ONNX operator set (opset_import)");
        }
        GraphProto graph = model.getGraph();
        OnnxImport in = new OnnxImport(graph, opset, codecs);
        ValueInfoProto input = null;
        for (ValueInfoProto v : graph.getInputList()) {
            if (v.getName().equals(in.inputName())) {
                input = v;
            }
        }
        long[] batch = new long[1];
        Shape shape = sampleShape(input, batch);
        OnnxImport.Chain chain = in.importGraph(shape, batch[0]);
        if (chain.layers().isEmpty()) {
            // Only Identity nodes: a model needs a layer, and Dropout(0) is the identity at inference and in training.
            chain = new OnnxImport.Chain(List.of(OnnxLayer.of(new Dropout(0.0))), chain.end(), chain.shape());
        }
        return build(chain, shape);
    }

    /** The shape of one sample: the graph input's dims after the first (the batch). */
    private static Shape sampleShape(ValueInfoProto input, long[] batch) throws OnnxImportException {
        String name = OnnxImport.clip(input.getName());
        TypeProto type = input.getType();
        if (!type.hasTensorType() || type.getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new OnnxImportException("graph input '" + name + "' is not a float32 tensor; cnn4j models take float32 input");
        }
        if (!type.getTensorType().hasShape()) {
            throw new OnnxImportException("graph input '" + name + "' has no shape; cnn4j needs [batch, sample dims...]");
        }
        List<TensorShapeProto.Dimension> dims = type.getTensorType().getShape().getDimList();
        if (dims.size() < 2) {
            throw new OnnxImportException("graph input '" + name + "' has rank " + dims.size()
                    + "; cnn4j needs [batch, sample dims...] (rank 2 or more)");
        }
        batch[0] = dims.get(0).hasDimValue() && dims.get(0).getDimValue() > 0 ? dims.get(0).getDimValue() : 0;
        int[] sample = new int[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() < 1 || d.getDimValue() > Integer.MAX_VALUE) {
                throw new OnnxImportException("graph input '" + name + "' dimension " + i + " is "
                        + (d.hasDimValue() ? Long.toString(d.getDimValue()) : "symbolic '" + OnnxImport.clip(d.getDimParam()) + "'")
                        + "; cnn4j needs fixed positive sample dimensions (only the batch may be symbolic)");
            }
            sample[i - 1] = (int) d.getDimValue();
        }
        try {
            return Shape.of(sample);
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException("graph input '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Builds the model and sets the imported values; sizes are checked before anything is allocated. */
    private static Sequential build(OnnxImport.Chain chain, Shape shape) throws OnnxImportException {
        List<Layer> layers = OnnxImport.layersOf(chain.layers());
        List<Shape> shapes;
        try {
            shapes = Sequential.plan(layers, shape);
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException("the imported layers do not fit together: " + e.getMessage(), e);
        }
        for (int i = 0; i < layers.size(); i++) {
            OnnxLayer l = chain.layers().get(i);
            long given = 0;
            for (float[] v : l.parameters()) {
                given += v.length;
            }
            for (float[] v : l.state()) {
                given += v.length;
            }
            long needed = l.layer().parameterCount(shapes.get(i));
            if (given != needed) {
                throw new OnnxImportException("layer " + i + " " + l.layer().name() + " needs " + needed
                        + " parameter and state values, the ONNX tensors give " + given);
            }
        }
        Sequential model;
        try {
            model = Sequential.of(layers).input(shape).build();
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException("the imported layers do not fit together: " + e.getMessage(), e);
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer built = model.layers().get(i);
            OnnxLayer l = chain.layers().get(i);
            set(i, built, built.parameters(), l.parameters(), "parameters");
            set(i, built, built.state(), l.state(), "state");
        }
        return model;
    }

    private static void set(int index, Layer layer, List<Parameter> ps, List<float[]> values, String what) throws OnnxImportException {
        if (ps.size() != values.size()) {
            throw new OnnxImportException("layer " + index + " " + layer.name() + " has " + ps.size() + " " + what
                    + ", the ONNX import gives " + values.size());
        }
        List<String> bad = new ArrayList<>();
        for (int k = 0; k < ps.size(); k++) {
            if (ps.get(k).size() != values.get(k).length) {
                bad.add(ps.get(k).name() + " needs " + ps.get(k).size() + " values, got " + values.get(k).length);
            }
        }
        if (!bad.isEmpty()) {
            throw new OnnxImportException("layer " + index + " " + layer.name() + ": " + String.join("; ", bad));
        }
        for (int k = 0; k < ps.size(); k++) {
            ps.get(k).set(values.get(k));
        }
    }
}
