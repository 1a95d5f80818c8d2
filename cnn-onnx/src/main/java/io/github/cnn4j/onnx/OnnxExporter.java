package io.github.cnn4j.onnx;

import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a built {@link Sequential} as an ONNX model (opset {@value #OPSET_VERSION}, IR version
 * {@value #IR_VERSION}) that other runtimes can load, such as ONNX Runtime.
 *
 * <pre>{@code
 * OnnxExporter.write(Path.of("model-b.onnx"), model);
 * // in ONNX Runtime: feed "input" as float32 [N, 1, 28, 28], read "probabilities" [N, 10]
 * }</pre>
 *
 * <p>Supported layers: {@code Conv} (any padding and stride), {@code MaxPool}, {@code AvgPool},
 * {@code GlobalAvgPool}, {@code BatchNorm} (its inference form), {@code Dropout}, {@code ReLU},
 * {@code Sigmoid}, {@code Tanh}, {@code Flatten}, {@code Dense}, {@code Softmax}, and the composites
 * {@code Block} and {@code Residual}, plus every layer with an {@link OnnxCodec} on the class path;
 * the {@link io.github.cnn4j.onnx package description} lists the operators they become. The export is deterministic: the same model
 * gives the same bytes. Parameter values are copied as they are when the method is called; export a
 * {@link Sequential#copy()} if another thread may be training the model meanwhile.
 */
public final class OnnxExporter {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxExporter.class);

    /** The ONNX operator set version the exported graph uses (default domain {@code ai.onnx}). */
    public static final int OPSET_VERSION = 13;

    /** The ONNX IR version written, the one that goes with opset {@value #OPSET_VERSION}. */
    public static final int IR_VERSION = 7;

    /** Name of the graph's input, float32 of shape {@code [N, <model input shape>]}. */
    public static final String INPUT_NAME = "input";

    /** Name of the graph's output when the model ends in {@link Softmax}: float32 {@code [N, K]}. */
    public static final String PROBABILITIES_NAME = "probabilities";

    /** Name of the graph's output when the model does not end in {@link Softmax}. */
    public static final String OUTPUT_NAME = "output";

    /** Name of the symbolic batch dimension of the input and output. */
    public static final String BATCH_DIMENSION = "N";

    /** The {@code producer_name} written into the file. */
    public static final String PRODUCER = "cnn4j";

    private OnnxExporter() {
    }

    /**
     * Writes the model as an ONNX file, atomically: on failure the previous file is left unchanged.
     *
     * @param file  the file to create or replace (conventionally ending in {@code .onnx})
     * @param model a built model
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException when a layer has no ONNX mapping (naming its index and type)
     *                                  or the model is too large for one ONNX file (2 GiB)
     */
    public static void write(Path file, Sequential model) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] bytes = toBytes(model);
        AtomicFiles.write(file, out -> out.write(bytes));
        LOG.debug("wrote ONNX model {} ({} bytes, {} layers)", file, bytes.length, model.layers().size());
    }

    /**
     * Writes the model's ONNX bytes to a stream (which is neither flushed nor closed).
     *
     * @param out   the destination
     * @param model a built model
     * @throws IOException              when writing fails
     * @throws IllegalArgumentException as {@link #write(Path, Sequential)}
     */
    public static void writeTo(OutputStream out, Sequential model) throws IOException {
        Objects.requireNonNull(out, "out");
        out.write(toBytes(model));
    }

    /**
     * Serializes the model to ONNX bytes, e.g. for {@code OrtEnvironment.createSession(byte[])}.
     *
     * @param model a built model
     * @return the content of a {@code .onnx} file
     * @throws IllegalArgumentException as {@link #write(Path, Sequential)}
     */
    public static byte[] toBytes(Sequential model) {
        return toBytes(model, OnnxCodecs.standard());
    }

    /**
     * Serializes the model to ONNX bytes with the given codecs.
     *
     * @param model  a built model
     * @param codecs the registry choosing each layer's nodes (e.g. {@link OnnxCodecs#withBuiltins})
     * @return the content of a {@code .onnx} file
     * @throws IllegalArgumentException as {@link #write(Path, Sequential)}
     */
    public static byte[] toBytes(Sequential model, OnnxCodecs codecs) {
        return OnnxGraphBuilder.build(model, Objects.requireNonNull(codecs, "codecs")).toByteArray();
    }

    /**
     * @param model a model
     * @return the name its exported graph gives the output: {@value #PROBABILITIES_NAME} when the
     *         model ends in {@link Softmax}, else {@value #OUTPUT_NAME}
     */
    public static String outputName(Sequential model) {
        List<?> layers = model.layers();
        return layers.get(layers.size() - 1) instanceof Softmax ? PROBABILITIES_NAME : OUTPUT_NAME;
    }
}
