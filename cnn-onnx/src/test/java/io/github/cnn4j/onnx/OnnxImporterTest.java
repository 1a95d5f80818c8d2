package io.github.cnn4j.onnx;

import static io.github.cnn4j.onnx.Graphs.floats;
import static io.github.cnn4j.onnx.Graphs.int64s;
import static io.github.cnn4j.onnx.Graphs.integer;
import static io.github.cnn4j.onnx.Graphs.node;
import static io.github.cnn4j.onnx.Graphs.real;
import static io.github.cnn4j.onnx.Graphs.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.GlobalAvgPool;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ModelProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.random.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX import: composite models (residual blocks with identity, automatic and explicit projection
 * shortcuts, nested blocks, global average pooling) and a user-defined layer go out and come back
 * with identical outputs, and hand-made graphs of the other supported patterns (MatMul + Add,
 * Gemm with transB/alpha/beta, Reshape, Identity, auto_pad, Constant) import to what ONNX Runtime computes.
 */
class OnnxImporterTest {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxImporterTest.class);

    /** A small residual network using every composite, with non-trivial batch-norm statistics. */
    static Sequential residualModel(long seed) {
        Sequential m = Sequential.of(
                        new Conv(3, 3, 8).padding(1), new BatchNorm(), new ReLU(),
                        new Residual(new Block(new Conv(3, 3, 8).padding(1), new BatchNorm(), new ReLU(),
                                new Conv(3, 3, 8).padding(1), new BatchNorm())),                        // identity shortcut
                        new ReLU(),
                        new Residual(new Block(new Conv(3, 3, 16).padding(1).stride(2), new BatchNorm(), new ReLU(),
                                new Conv(3, 3, 16).padding(1), new BatchNorm())),                       // automatic 1x1 projection
                        new ReLU(),
                        new Residual(new Block(new Conv(3, 3, 16).padding(1), new BatchNorm().epsilon(1e-3)),
                                new Block(new Conv(1, 1, 16), new BatchNorm())),                        // explicit shortcut
                        new Block(new Conv(3, 3, 16).padding(1), new ReLU(), new Residual(new ReLU())), // nesting
                        new GlobalAvgPool(), new Dropout(0.3), new Dense(10), new Softmax())
                .input(1, 12, 12).seed(seed).init(InitPreset.MODERN).build();
        Rng r = new Rng(seed + 1);
        for (Parameter p : m.parameters()) {
            for (int i = 0; i < p.size(); i++) {
                p.value()[i] += (float) (0.05 * (r.nextDouble() - 0.5));   // non-zero biases, gammas != 1
            }
        }
        for (Parameter p : m.state()) {
            boolean variance = p.name().contains("var");
            for (int i = 0; i < p.size(); i++) {
                p.value()[i] = variance ? (float) (0.5 + r.nextDouble()) : (float) (r.nextDouble() - 0.5);
            }
        }
        return m;
    }

    /** The layer names with top-level blocks replaced by their layers: what an import gives back. */
    static List<String> flatNames(Sequential m) {
        List<String> r = new java.util.ArrayList<>();
        for (Layer l : m.layers()) {
            if (l instanceof Block b) {
                b.layers().forEach(x -> r.add(x.name()));
            } else {
                r.add(l.name());
            }
        }
        return r;
    }

    static List<String> names(Sequential m) {
        return m.layers().stream().map(Layer::name).collect(Collectors.toList());
    }

    @Test
    void residualModelRunsInOnnxRuntimeAndComesBackIdentical() throws Exception {
        Sequential model = residualModel(5);
        byte[] bytes = OnnxExporter.toBytes(model);
        GraphProto g = ModelProto.parseFrom(bytes).getGraph();
        List<String> ops = g.getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toList());
        assertEquals(4, ops.stream().filter("Add"::equals).count(), "one Add per residual connection: " + ops);
        int n = 40;
        float[] x = Graphs.random(3, n * 144);
        float[] expected = Graphs.predict(model, x, n);
        float[] ort = Graphs.ort(bytes, x, n, 1, 12, 12);
        double max = maxAbsDiff(expected, ort);
        LOG.info("residual model ({} nodes): max |p_cnn4j - p_ort| = {}", g.getNodeCount(), max);
        assertTrue(max <= 1e-5, "cnn4j vs ONNX Runtime: " + max);

        Sequential back = OnnxImporter.fromBytes(bytes);
        assertEquals(flatNames(model), names(back), "the same layers (a top-level Block comes back as its layers)");
        assertEquals(model.inputShape(), back.inputShape());
        assertArrayEquals(expected, Graphs.predict(back, x, n), 0f, "imported model gives identical outputs");
        assertInstanceOf(Residual.class, back.layers().get(3));
        assertTrue(((Residual) back.layers().get(5)).explicitShortcut() == false, "automatic projection recognized");
        assertTrue(((Residual) back.layers().get(7)).explicitShortcut(), "explicit shortcut kept");
    }

    @Test
    void userDefinedLayerExportsAndImportsThroughItsCodec(@TempDir Path dir) throws Exception {
        Sequential model = Sequential.of(new Conv(3, 3, 4), new Gain(), new ReLU(), new Flatten(), new Dense(5))
                .input(2, 8, 8).seed(3).build();
        assertInstanceOf(GainOnnxCodec.class, OnnxCodecs.standard().forLayer(model.layers().get(1)), "found by ServiceLoader");
        byte[] bytes = OnnxExporter.toBytes(model);
        NodeProto mul = ModelProto.parseFrom(bytes).getGraph().getNode(1);
        assertEquals("Mul", mul.getOpType());
        assertEquals(List.of("layer0_out", "layer1.gain"), mul.getInputList());
        int n = 7;
        float[] x = Graphs.random(9, n * 128);
        float[] expected = Graphs.predict(model, x, n);
        assertTrue(maxAbsDiff(expected, Graphs.ort(bytes, x, n, 2, 8, 8)) <= 1e-5);

        Path file = dir.resolve("gain.onnx");
        OnnxExporter.write(file, model);
        Sequential back = OnnxImporter.read(file);
        assertInstanceOf(Gain.class, back.layers().get(1));
        assertArrayEquals(model.layers().get(1).parameters().get(0).value(), back.layers().get(1).parameters().get(0).value(), 0f);
        assertArrayEquals(expected, Graphs.predict(back, x, n), 0f);

        // Without its codec, neither direction works, and both say why.
        OnnxCodecs builtins = OnnxCodecs.withBuiltins(List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.toBytes(model, builtins));
        assertTrue(e.getMessage().startsWith("layer 1 Gain() (io.github.cnn4j.onnx.Gain) cannot be exported"), e.getMessage());
        OnnxImportException i = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromBytes(bytes, builtins));
        assertTrue(i.getMessage().startsWith("node 'layer1_Mul' (Mul): operator Mul is not supported; cnn4j imports"), i.getMessage());
    }

    @Test
    void matMulAddGemmReshapeIdentityAndSoftmaxMatchOnnxRuntime() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", 2, 3, 3))
                .addInitializer(int64s("shape", 0, -1))
                .addInitializer(floats("W1", Graphs.random(1, 18 * 7), 18, 7))
                .addInitializer(floats("b1", Graphs.random(2, 7), 7))
                .addInitializer(floats("W2", Graphs.random(3, 4 * 7), 4, 7))
                .addInitializer(floats("b2", Graphs.random(4, 4), 1, 4))
                .addNode(node("reshape", "Reshape", new String[] {"x", "shape"}, "r"))
                .addNode(node("matmul", "MatMul", new String[] {"r", "W1"}, "m"))
                .addNode(node("bias", "Add", new String[] {"b1", "m"}, "a"))
                .addNode(node("relu", "Relu", new String[] {"a"}, "h"))
                .addNode(node("gemm", "Gemm", new String[] {"h", "W2", "b2"}, "z",
                        integer("transB", 1), real("alpha", 0.5f), real("beta", 2f)))
                .addNode(node("same", "Identity", new String[] {"z"}, "z2"))
                .addNode(node("softmax", "Softmax", new String[] {"z2"}, "p"))
                .addOutput(value("p", 4));
        byte[] bytes = Graphs.model(g).toByteArray();
        Sequential m = OnnxImporter.fromBytes(bytes);
        assertEquals(List.of(Flatten.class, Dense.class, ReLU.class, Dense.class, Softmax.class),
                m.layers().stream().map(Object::getClass).collect(Collectors.toList()));
        int n = 11;
        float[] x = Graphs.random(5, n * 18);
        double max = maxAbsDiff(Graphs.ort(bytes, x, n, 2, 3, 3), Graphs.predict(m, x, n));
        LOG.info("MatMul+Add, Gemm(transB, alpha, beta), Reshape, Softmax: max |cnn4j - ort| = {}", max);
        assertTrue(max <= 1e-6, "max difference " + max);
    }

    @Test
    void convWithAutoPadNoBiasAndGlobalPoolingMatchOnnxRuntime() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", 3, 9, 9))
                .addInitializer(floats("W", Graphs.random(7, 5 * 3 * 3 * 3), 5, 3, 3, 3))
                .addNode(node("conv", "Conv", new String[] {"x", "W"}, "c", Graphs.strAttr("auto_pad", "SAME_UPPER"),
                        Graphs.ints("strides", 1, 1)))
                .addNode(node("pool", "MaxPool", new String[] {"c"}, "p", Graphs.ints("kernel_shape", 3, 3),
                        Graphs.ints("strides", 3, 3)))
                .addNode(node("gap", "GlobalAveragePool", new String[] {"p"}, "g"))
                .addNode(node("flat", "Flatten", new String[] {"g"}, "f"))
                .addOutput(value("f", 5));
        byte[] bytes = Graphs.model(g).toByteArray();
        Sequential m = OnnxImporter.fromBytes(bytes);
        assertEquals(List.of("Conv(3x3, 5 filters, padding 1)", "MaxPool(3x3)", "GlobalAvgPool()"), names(m));
        int n = 6;
        float[] x = Graphs.random(8, n * 243);
        double max = maxAbsDiff(Graphs.ort(bytes, x, n, 3, 9, 9), Graphs.predict(m, x, n));
        assertTrue(max <= 1e-5, "max difference " + max);
    }

    @Test
    void readingAFileNamesIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.onnx");
        java.nio.file.Files.write(file, new byte[] {1, 2, 3});
        io.github.cnn4j.io.FormatException e = assertThrows(io.github.cnn4j.io.FormatException.class, () -> OnnxImporter.read(file));
        assertTrue(e.getMessage().contains("bad.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("not an ONNX model"), e.getMessage());
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            assertTrue(Float.isFinite(a[i]) && Float.isFinite(b[i]), "non-finite output at " + i);
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
