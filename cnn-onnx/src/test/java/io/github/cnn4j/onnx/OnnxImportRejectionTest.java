package io.github.cnn4j.onnx;

import static io.github.cnn4j.onnx.Graphs.floats;
import static io.github.cnn4j.onnx.Graphs.integer;
import static io.github.cnn4j.onnx.Graphs.node;
import static io.github.cnn4j.onnx.Graphs.value;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ModelProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, hostile and unsupported ONNX files are rejected with one line naming what is wrong,
 * before anything of the size they declare is allocated (each hostile tensor declares gigabytes
 * but carries a few bytes, so a reader that allocated first would fail with OutOfMemoryError).
 */
class OnnxImportRejectionTest {

    /** {@code x [N, 4] -> Relu -> y}, plus whatever the test adds. */
    private static GraphProto.Builder relu() {
        return GraphProto.newBuilder().addInput(value("x", 4))
                .addNode(node("relu", "Relu", new String[] {"x"}, "y")).addOutput(value("y", 4));
    }

    private static String reject(ModelProto m, String... expected) {
        return reject(m.toByteArray(), expected);
    }

    private static String reject(byte[] bytes, String... expected) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromBytes(bytes));
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        for (String s : expected) {
            assertTrue(msg.contains(s), "expected '" + s + "' in: " + msg);
        }
        return msg;
    }

    @Test
    void notAnOnnxFile() {
        reject(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2}, "not an ONNX model");
        reject(ModelProto.newBuilder().setIrVersion(7).build(), "no graph");
    }

    @Test
    void fileLargerThanTheLimitIsRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, Graphs.model(relu()).toByteArray());
        long size = Files.size(file);
        FormatException e = assertThrows(FormatException.class, () -> OnnxImporter.read(file, size - 1, OnnxCodecs.standard()));
        assertTrue(e.getMessage().contains("m.onnx") && e.getMessage().contains(size + " bytes, more than the " + (size - 1)),
                e.getMessage());
        Sequential ok = OnnxImporter.read(file, size, OnnxCodecs.standard());
        assertTrue(ok.layers().size() == 1);
        assertThrows(java.nio.file.FileSystemException.class, () -> OnnxImporter.read(dir));
    }

    @Test
    void dimsWhoseProductOverflowsOrIsHuge() {
        TensorProto t = TensorProto.newBuilder().setName("w").setDataType(1).addDims(1L << 40).addDims(1L << 40).build();
        reject(Graphs.model(relu().addInitializer(t)), "initializer 'w' declares dims [1099511627776, 1099511627776], more than");
        TensorProto big = TensorProto.newBuilder().setName("w").setDataType(1).addDims(50_000).addDims(50_000).build();
        reject(Graphs.model(relu().addInitializer(big)), "initializer 'w' declares dims [50000, 50000], more than 2147483639");
        TensorProto neg = TensorProto.newBuilder().setName("w").setDataType(1).addDims(-3).build();
        reject(Graphs.model(relu().addInitializer(neg)), "initializer 'w' has a negative dimension");
    }

    @Test
    void rawDataThatDoesNotMatchTheDims() {
        TensorProto t = TensorProto.newBuilder().setName("w").setDataType(1).addDims(100_000).addDims(10_000)
                .setRawData(ByteString.copyFrom(new byte[4])).build();
        reject(Graphs.model(relu().addInitializer(t)), "initializer 'w': raw_data has 4 bytes, its dims [100000, 10000] need 4000000000");
        TensorProto listed = TensorProto.newBuilder().setName("w").setDataType(1).addDims(3).addFloatData(1f).build();
        reject(Graphs.model(relu().addInitializer(listed)), "initializer 'w' lists 1 values, its dims [3] need 3");
        TensorProto str = TensorProto.newBuilder().setName("w").setDataType(8).addDims(1).build();
        reject(Graphs.model(relu().addInitializer(str)), "initializer 'w' has data type 8");
    }

    @Test
    void externalDataAndSparseInitializers() {
        TensorProto ext = TensorProto.newBuilder().setName("w").setDataType(1).addDims(1_000_000).setDataLocation(1)
                .addExternalData(ByteString.copyFromUtf8("location=weights.bin")).build();
        reject(Graphs.model(relu().addInitializer(ext)), "initializer 'w' keeps its data in an external file");
        reject(Graphs.model(relu().addSparseInitializer(ByteString.copyFromUtf8("x"))), "sparse initializers");
        ModelProto functions = Graphs.model(relu()).toBuilder().addFunctions(ByteString.copyFromUtf8("f")).build();
        reject(functions, "model-local functions");
    }

    @Test
    void cyclesAndUndefinedValues() {
        GraphProto.Builder cycle = relu()
                .addNode(node("a", "Relu", new String[] {"b"}, "a_out"))
                .addNode(node("b", "Sigmoid", new String[] {"a_out"}, "b"));
        reject(Graphs.model(cycle), "the graph has a cycle: 2 node(s)", "'a' (Relu)", "'b' (Sigmoid)");
        GraphProto.Builder undefined = GraphProto.newBuilder().addInput(value("x", 4))
                .addNode(node("add", "Relu", new String[] {"nowhere"}, "y")).addOutput(value("y", 4));
        reject(Graphs.model(undefined), "node 'add' (Relu): reads 'nowhere', which no node, initializer or graph input defines");
        GraphProto.Builder twice = relu().addNode(node("again", "Tanh", new String[] {"x"}, "y"));
        reject(Graphs.model(twice), "node 'again' (Tanh): defines value 'y', which is already defined");
        reject(Graphs.model(relu().clearOutput().addOutput(value("z", 4))), "the graph output 'z' is not defined");
    }

    @Test
    void missingInitializersAndExtraInputs() {
        // The weight is a graph input without data: cnn4j imports weights stored in the file.
        GraphProto.Builder g = GraphProto.newBuilder().addInput(value("x", 1, 5, 5)).addInput(value("W", 1, 3, 3))
                .addNode(node("conv", "Conv", new String[] {"x", "W"}, "y")).addOutput(value("y", 1, 3, 3));
        reject(Graphs.model(g), "the graph has 2 data inputs [x, W]", "cnn4j models take exactly one");
        // Gemm's weight computed by another node rather than stored.
        GraphProto.Builder computed = GraphProto.newBuilder().addInput(value("x", 4))
                .addInitializer(floats("w0", new float[16], 4, 4))
                .addNode(node("w", "Relu", new String[] {"w0"}, "w"))
                .addNode(node("gemm", "Gemm", new String[] {"x", "w"}, "y")).addOutput(value("y", 4));
        reject(Graphs.model(computed), "node 'gemm' (Gemm): its weight B 'w' is not an initializer or Constant");
        GraphProto.Builder noBias = GraphProto.newBuilder().addInput(value("x", 4))
                .addNode(node("gemm", "Gemm", new String[] {"x"}, "y")).addOutput(value("y", 4));
        reject(Graphs.model(noBias), "node 'gemm' (Gemm): has no weight B (input 1)");
    }

    @Test
    void hugeInputShapeIsRefusedBeforeBuilding() {
        GraphProto.Builder g = GraphProto.newBuilder().addInput(value("x", 100_000, 100_000, 100_000))
                .addNode(node("relu", "Relu", new String[] {"x"}, "y")).addOutput(value("y", 100_000, 100_000, 100_000));
        reject(Graphs.model(g), "graph input 'x'", "more than 2^31-1 elements");
        GraphProto.Builder symbolic = GraphProto.newBuilder().addInput(value("x", 4).toBuilder()
                        .setType(value("x", 4).getType().toBuilder().clearTensorType()).build())
                .addNode(node("relu", "Relu", new String[] {"x"}, "y")).addOutput(value("y", 4));
        reject(Graphs.model(symbolic), "graph input 'x' is not a float32 tensor");
    }

    @Test
    void unsupportedOperatorsAndAttributesNameTheNode() {
        GraphProto.Builder leaky = GraphProto.newBuilder().addInput(value("x", 4))
                .addNode(node("act", "LeakyRelu", new String[] {"x"}, "y")).addOutput(value("y", 4));
        reject(Graphs.model(leaky), "node 'act' (LeakyRelu): operator LeakyRelu is not supported; cnn4j imports AveragePool, BatchNormalization, Conv");
        GraphProto.Builder group = GraphProto.newBuilder().addInput(value("x", 2, 5, 5))
                .addInitializer(floats("W", new float[18], 2, 1, 3, 3))
                .addNode(node("conv", "Conv", new String[] {"x", "W"}, "y", integer("group", 2))).addOutput(value("y", 2, 3, 3));
        reject(Graphs.model(group), "node 'conv' (Conv): group 2 is not supported; cnn4j imports group 1");
        GraphProto.Builder pool = GraphProto.newBuilder().addInput(value("x", 1, 4, 4))
                .addNode(node("pool", "MaxPool", new String[] {"x"}, "y", Graphs.ints("kernel_shape", 2, 2)))
                .addOutput(value("y", 1, 3, 3));
        reject(Graphs.model(pool), "node 'pool' (MaxPool): strides [1, 1] (default) with kernel 2x2", "non-overlapping");
        GraphProto.Builder attr = GraphProto.newBuilder().addInput(value("x", 4))
                .addNode(node("r", "Relu", new String[] {"x"}, "y", integer("foo", 1))).addOutput(value("y", 4));
        reject(Graphs.model(attr), "node 'r' (Relu): attribute 'foo' is not supported (this operator takes none)");
        GraphProto.Builder domain = relu().setNode(0, relu().getNode(0).toBuilder().setDomain("com.example"));
        reject(Graphs.model(domain), "node 'relu' (Relu): operator domain 'com.example' is not supported");
        GraphProto.Builder notOnPath = relu().addInitializer(floats("c", new float[4], 4))
                .addNode(node("side", "Tanh", new String[] {"c"}, "unused"));
        reject(Graphs.model(notOnPath), "node 'side' (Tanh): is not on the path from the graph input 'x' to the output 'y'");
        GraphProto.Builder concat = GraphProto.newBuilder().addInput(value("x", 4))
                .addNode(node("a", "Relu", new String[] {"x"}, "a")).addNode(node("b", "Tanh", new String[] {"x"}, "b"))
                .addNode(node("mul", "Mul", new String[] {"a", "b"}, "y")).addOutput(value("y", 4));
        reject(Graphs.model(concat), "value 'x' is read by ['a' (Relu), 'b' (Tanh)]", "only as a residual connection");
    }

    @Test
    void weightsThatDoNotFitTheInput() {
        // A Conv weight for 3 input channels on a 1-channel input, and a Gemm weight for 10 inputs on 4.
        GraphProto.Builder conv = GraphProto.newBuilder().addInput(value("x", 1, 5, 5))
                .addInitializer(floats("W", new float[54], 2, 3, 3, 3))
                .addNode(node("conv", "Conv", new String[] {"x", "W"}, "y")).addOutput(value("y", 2, 3, 3));
        reject(Graphs.model(conv), "node 'conv' (Conv): weight W has 3 input channels, the input has 1");
        GraphProto.Builder gemm = GraphProto.newBuilder().addInput(value("x", 4))
                .addInitializer(floats("B", new float[20], 10, 2))
                .addNode(node("gemm", "Gemm", new String[] {"x", "B"}, "y")).addOutput(value("y", 2));
        reject(Graphs.model(gemm), "node 'gemm' (Gemm): weight B has dims [10, 2] for 4 inputs");
        GraphProto.Builder empty = GraphProto.newBuilder().addInput(value("x", 1, 5, 5))
                .addInitializer(floats("W", new float[0], 0, 1, 3, 3))
                .addNode(node("conv", "Conv", new String[] {"x", "W"}, "y")).addOutput(value("y", 1, 3, 3));
        reject(Graphs.model(empty), "node 'conv' (Conv): Conv needs kernel sizes and filters >= 1, got 3x3, 0 filters");
        // The exporter's own output imports; a sanity check that the fixtures above differ from it only where intended.
        Sequential ok = Sequential.of(new Conv(3, 3, 2), new Flatten(), new Dense(2)).input(1, 5, 5).seed(1).build();
        assertTrue(OnnxExporter.toBytes(ok).length > 0);
    }
}
