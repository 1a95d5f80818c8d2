package io.github.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.AttributeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ModelProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exported graph's structure, the file writing, the rejection of unsupported layers, and ONNX
 * Runtime parity for models built in code (padding, Tanh, Sigmoid, floor pooling, no Softmax).
 */
class OnnxExporterTest {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxExporterTest.class);

    /** The paper's model B. */
    private static Sequential modelB() {
        return Sequential.of(
                new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
                new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(10), new Softmax())
            .input(1, 28, 28).seed(555124141).build();
    }

    /**
     * Padding 1 and 2, Tanh and Sigmoid, a 3x3 pool over 16x16 (floor drops the last row and column),
     * two dense layers; trained briefly (about 77% test accuracy) so that every bias is non-zero and the
     * top two probabilities of every test image differ by far more than float32 rounding.
     */
    private static Sequential paddedTanhModel() {
        Sequential model = Sequential.of(
                new Conv(3, 3, 4).padding(1), new Tanh(), new MaxPool(2),   // (4, 28, 28) -> (4, 14, 14)
                new Conv(3, 3, 5).padding(2), new Sigmoid(), new MaxPool(3), // (5, 16, 16) -> (5, 5, 5)
                new Flatten(), new Dense(24), new Tanh(), new Dense(10), new Softmax())
            .input(1, 28, 28).seed(42).build();
        Trainer.builder(model).optimizer(new Adam(0.01)).epochs(1).batchSize(16).threads(2).build()
                .fit(TestData.mnist().train().subset(0, 3000));
        return model;
    }

    @Test
    void graphMirrorsTheModel() throws IOException {
        Sequential model = modelB();
        ModelProto onnx = ModelProto.parseFrom(OnnxExporter.toBytes(model));

        assertEquals(OnnxExporter.IR_VERSION, onnx.getIrVersion());
        assertEquals(1, onnx.getOpsetImportCount());
        assertEquals("", onnx.getOpsetImport(0).getDomain());
        assertEquals(OnnxExporter.OPSET_VERSION, onnx.getOpsetImport(0).getVersion());
        assertEquals("cnn4j", onnx.getProducerName());

        GraphProto g = onnx.getGraph();
        assertEquals(List.of("Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Softmax"),
                g.getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toList()));
        // The nodes form a chain from the input to the output.
        String previous = "input";
        for (NodeProto n : g.getNodeList()) {
            assertEquals(previous, n.getInput(0), n.getName());
            assertEquals(1, n.getOutputCount());
            previous = n.getOutput(0);
        }
        assertEquals("probabilities", previous);
        assertEquals("probabilities", OnnxExporter.outputName(model));

        assertEquals(List.of("input"), List.of(g.getInput(0).getName()));
        assertEquals(1, g.getInputCount());
        assertEquals(List.of("N", "1", "28", "28"), dims(g.getInput(0).getType().getTensorType().getShape()));
        assertEquals(1, g.getOutputCount());
        assertEquals(List.of("N", "10"), dims(g.getOutput(0).getType().getTensorType().getShape()));
        assertEquals(TensorProto.DataType.FLOAT_VALUE, g.getInput(0).getType().getTensorType().getElemType());
        // Every intermediate value has its shape recorded.
        assertEquals(List.of("N", "6", "24", "24"), dims(g.getValueInfo(0).getType().getTensorType().getShape()));
        assertEquals(List.of("N", "96"), dims(g.getValueInfo(6).getType().getTensorType().getShape()));

        NodeProto conv = g.getNode(3);
        assertEquals(List.of(5L, 5L), attribute(conv, "kernel_shape").getIntsList());
        assertEquals(List.of(0L, 0L, 0L, 0L), attribute(conv, "pads").getIntsList());
        assertEquals(List.of(1L, 1L), attribute(conv, "strides").getIntsList());
        NodeProto pool = g.getNode(2);
        assertEquals(List.of(2L, 2L), attribute(pool, "kernel_shape").getIntsList());
        assertEquals(List.of(2L, 2L), attribute(pool, "strides").getIntsList());
        AttributeProto ceil = attribute(pool, "ceil_mode");
        assertEquals(AttributeProto.AttributeType.INT, ceil.getType());
        assertTrue(ceil.hasI(), "a zero-valued attribute is still written");
        assertEquals(0, ceil.getI());
        NodeProto gemm = g.getNode(7);
        assertEquals(0, attribute(gemm, "transB").getI());
        assertEquals(1, attribute(g.getNode(8), "axis").getI());
        assertEquals(1, attribute(g.getNode(6), "axis").getI());

        // Initializers: every parameter, with its shape, as little-endian float32.
        assertEquals(model.parameters().size(), g.getInitializerCount());
        for (int i = 0; i < model.parameters().size(); i++) {
            Parameter p = model.parameters().get(i);
            TensorProto t = g.getInitializer(i);
            assertEquals(TensorProto.DataType.FLOAT_VALUE, t.getDataType());
            assertEquals(Arrays.stream(p.shape().dims()).asLongStream().boxed().collect(Collectors.toList()),
                    t.getDimsList(), t.getName());
            float[] values = new float[p.size()];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            assertArrayEquals(p.value(), values, 0f, t.getName());
        }
        assertEquals(List.of("layer0.weight", "layer0.bias", "layer3.weight", "layer3.bias", "layer7.weight", "layer7.bias"),
                g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toList()));
        assertEquals(List.of("layer7.weight", "layer7.bias"), gemm.getInputList().subList(1, 3));
        assertEquals(List.of(96L, 10L), g.getInitializer(4).getDimsList());
    }

    @Test
    void writesTheSameBytesAtomicallyAndDeterministically(@TempDir Path dir) throws IOException {
        Sequential model = modelB();
        byte[] bytes = OnnxExporter.toBytes(model);
        assertArrayEquals(bytes, OnnxExporter.toBytes(model), "same model, same bytes");
        assertArrayEquals(bytes, OnnxExporter.toBytes(model.copy()), "a copy exports identically");

        Path file = dir.resolve("sub/model.onnx");
        OnnxExporter.write(file, model);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OnnxExporter.writeTo(out, model);
        assertArrayEquals(bytes, out.toByteArray());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.collect(Collectors.toList()), "no temporary files left");
        }
    }

    @Test
    void unsupportedLayerIsRejectedWithItsIndexAndType(@TempDir Path dir) throws IOException {
        Sequential model = Sequential.of(new Flatten(), new Dense(16), new Doubling(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.toBytes(model));
        assertTrue(e.getMessage().contains("layer 2"), e.getMessage());
        assertTrue(e.getMessage().contains("Doubling()"), e.getMessage());
        assertTrue(e.getMessage().contains(Doubling.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("Conv, MaxPool, AvgPool, Dense, BatchNorm, Dropout, ReLU, Sigmoid, Tanh, Flatten, Softmax, "
                + "GlobalAvgPool, Block, Residual"), e.getMessage());

        // A failed export leaves the previous file as it was.
        Path file = dir.resolve("model.onnx");
        Files.writeString(file, "previous");
        assertThrows(IllegalArgumentException.class, () -> OnnxExporter.write(file, model));
        assertEquals("previous", Files.readString(file, StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        assertThrows(IllegalArgumentException.class, () -> OnnxExporter.write(dir.resolve("other.onnx"), model));
        assertFalse(Files.exists(dir.resolve("other.onnx")));
    }

    @Test
    void paddedTanhModelGivesTheSameProbabilitiesInOnnxRuntime() throws OrtException, IOException {
        Sequential model = paddedTanhModel();
        Dataset test = TestData.mnist().test();
        assertEquals(List.of(List.of(1L, 1L, 1L, 1L), List.of(2L, 2L, 2L, 2L)), convPads(model));
        OrtRunner.Comparison c = compare(model, test);
        LOG.info("padded Tanh model on {} MNIST test images: max |p_cnn4j - p_ort| = {}, arg-max mismatches {}",
                c.samples(), c.maxAbsDiff(), c.argmaxMismatches());
        assertEquals(10_000, c.samples());
        assertTrue(c.maxAbsDiff() <= 1e-5, "max abs difference " + c.maxAbsDiff());
        assertEquals(0, c.argmaxMismatches());
    }

    @Test
    void modelWithoutSoftmaxExportsItsOutput() throws OrtException, IOException {
        Sequential model = Sequential.of(new Flatten(), new Dense(32), new Sigmoid(), new Dense(10), new ReLU())
                .input(1, 28, 28).seed(7).build();
        assertEquals("output", OnnxExporter.outputName(model));
        ModelProto onnx = ModelProto.parseFrom(OnnxExporter.toBytes(model));
        assertEquals("output", onnx.getGraph().getOutput(0).getName());
        OrtRunner.Comparison c = compare(model, TestData.mnist().test().subset(0, 2000));
        LOG.info("dense model without Softmax: max |y_cnn4j - y_ort| = {}", c.maxAbsDiff());
        assertTrue(c.maxAbsDiff() <= 1e-5, "max abs difference " + c.maxAbsDiff());
        assertEquals(0, c.argmaxMismatches());
    }

    /** Exports, runs in ONNX Runtime and compares with {@link Sequential#predict(Dataset, int)}. */
    static OrtRunner.Comparison compare(Sequential model, Dataset data) throws OrtException {
        int k = model.outputShape().size();
        float[] expected = model.predict(data, 2);
        float[] actual;
        try (OrtRunner ort = new OrtRunner(OnnxExporter.toBytes(model), OnnxExporter.outputName(model))) {
            ort.checkSignature(model);
            actual = ort.run(data, k);
        }
        return OrtRunner.Comparison.of(expected, actual, k);
    }

    private static List<String> dims(TensorShapeProto shape) {
        return shape.getDimList().stream()
                .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue()))
                .collect(Collectors.toList());
    }

    private static AttributeProto attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(node.getName() + " has no attribute " + name));
    }

    /** @return the {@code pads} of every Conv node of the exported model */
    private static List<List<Long>> convPads(Sequential model) throws IOException {
        return ModelProto.parseFrom(OnnxExporter.toBytes(model)).getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Conv"))
                .map(n -> attribute(n, "pads").getIntsList())
                .collect(Collectors.toList());
    }

    /** A user-written layer that the export does not know: {@code y = 2x}. */
    static final class Doubling implements Layer {
        @Override
        public String name() {
            return "Doubling()";
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public void forward(Tensor in, Tensor out, LayerContext ctx) {
            for (int i = 0; i < in.length(); i++) {
                out.data()[i] = 2 * in.data()[i];
            }
        }

        @Override
        public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
            if (gradIn != null) {
                for (int i = 0; i < gradOut.length(); i++) {
                    gradIn.data()[i] = 2 * gradOut.data()[i];
                }
            }
        }
    }
}
