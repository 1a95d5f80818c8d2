package io.github.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ModelProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX's own backend node tests (Debian's {@code libonnx-testdata}): every test whose operators are
 * all in the set cnn4j imports is imported and run on every one of its data sets; each either
 * passes (outputs within {@value #RTOL} relative of ONNX's, plus {@value #ATOL} absolute for values
 * near zero) or is listed with the import's reason (an attribute combination, a second data input,
 * a rank cnn4j's layers do not take). None may import and then compute something else.
 *
 * <p>Mapping: the graph's first input is the model's data; the others (weights, a Reshape's shape,
 * a Dropout's ratio, which node tests feed as inputs) become initializers with the data set's
 * values. The first dimension of the data is the batch and cnn4j runs each sample on its own; a
 * rank-1 input is run as one sample. Outputs are compared element by element in row-major order
 * (cnn4j's GlobalAvgPool gives {@code (C)} where ONNX gives {@code (C, 1, 1)}: the same values).
 *
 * <p>The table is written to {@code cnn-onnx/target/onnx-conformance.md}; docs/onnx.md holds it, and
 * this test checks that every row of the table it computes is in docs/onnx.md.
 */
class OnnxConformanceTest {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxConformanceTest.class);

    /** Where Debian's libonnx-testdata puts the node tests. */
    static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

    /** The operators of the issue: a test is run when all its nodes use these. */
    static final Set<String> OPS = Set.of("Conv", "Relu", "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool",
            "Gemm", "MatMul", "BatchNormalization", "Flatten", "Reshape", "Add", "Softmax", "Dropout", "Identity");

    /** The built-in codecs only: the table must not depend on test codecs on the class path. */
    static final OnnxCodecs BUILTINS = OnnxCodecs.withBuiltins(List.of());

    static final double RTOL = 1e-5;
    static final double ATOL = 1e-7;

    record Row(String test, String ops, boolean pass, String detail) {
        String markdown() {
            return "| " + test + " | " + ops + " | " + (pass ? "pass" : "not supported") + " | " + detail.replace("|", "\\|") + " |";
        }
    }

    @Test
    void nodeTestsOfTheSupportedOperators() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(NODE_TESTS), "ONNX's node tests are not installed (" + NODE_TESTS
                + "; on Debian: apt-get install libonnx-testdata)");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(NODE_TESTS)) {
            dirs = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().collect(Collectors.toList());
        }
        List<Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path dir : dirs) {
            ModelProto model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
            Set<String> ops = new TreeSet<>();
            for (NodeProto n : model.getGraph().getNodeList()) {
                ops.add(n.getOpType());
            }
            if (ops.isEmpty() || !OPS.containsAll(ops)) {
                continue;
            }
            Row row = run(dir, model, String.join(", ", ops));
            rows.add(row);
            if (row.detail().startsWith("FAIL")) {
                failures.add(row.test() + ": " + row.detail());
            }
        }
        long passed = rows.stream().filter(Row::pass).count();
        StringBuilder table = new StringBuilder("| test | operators | result | data sets, or the reason |\n|---|---|---|---|\n");
        for (Row r : rows) {
            table.append(r.markdown()).append('\n');
        }
        Path out = TestData.repoRoot().resolve("cnn-onnx/target/onnx-conformance.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString(), StandardCharsets.UTF_8);
        LOG.info("ONNX node tests of the supported operators: {} run, {} pass, {} not supported, {} fail; table in {}",
                rows.size(), passed, rows.size() - passed - failures.size(), failures.size(), out);
        assertEquals(List.of(), failures, "tests that imported but gave other outputs");
        assertTrue(rows.size() >= 100 && passed >= 36, rows.size() + " tests run, " + passed + " passed");

        Path doc = TestData.repoRoot().resolve("docs/onnx.md");
        if (Files.isRegularFile(doc)) {
            Set<String> docLines = new LinkedHashSet<>(Files.readAllLines(doc, StandardCharsets.UTF_8));
            List<String> missing = rows.stream().map(Row::markdown).filter(l -> !docLines.contains(l)).collect(Collectors.toList());
            assertEquals(List.of(), missing, "rows of the conformance table that docs/onnx.md does not have (copy " + out + ")");
        }
    }

    /** Imports the test's model with each data set's constant inputs and compares every output. */
    private static Row run(Path dir, ModelProto model, String ops) throws IOException {
        String name = dir.getFileName().toString();
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().collect(Collectors.toList());
        }
        GraphProto g = model.getGraph();
        for (ValueInfoProto v : g.getInputList()) {
            if (!v.getType().hasTensorType()) {
                return new Row(name, ops, false, "input '" + v.getName() + "' is a sequence or optional, not a tensor");
            }
        }
        if (g.getInputCount() == 0) {
            return new Row(name, ops, false, "the graph has no input");
        }
        double maxRel = 0;
        for (Path set : sets) {
            GraphProto.Builder b = g.toBuilder();
            for (int i = 1; i < g.getInputCount(); i++) {
                TensorProto t = TensorProto.parseFrom(Files.readAllBytes(set.resolve("input_" + i + ".pb")));
                b.addInitializer(t.toBuilder().setName(g.getInput(i).getName()));
            }
            TensorProto x = TensorProto.parseFrom(Files.readAllBytes(set.resolve("input_0.pb")));
            ValueInfoProto in = g.getInput(0);
            if (in.getType().getTensorType().getShape().getDimCount() == 1) {
                // A rank-1 input runs as one sample: [n] becomes [1, n].
                TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(in.getType().getTensorType().getShape().getDim(0));
                b.setInput(0, in.toBuilder().setType(in.getType().toBuilder().setTensorType(
                        in.getType().getTensorType().toBuilder().setShape(s))));
            }
            Sequential m;
            try {
                m = OnnxImporter.fromBytes(model.toBuilder().setGraph(b).build().toByteArray(), BUILTINS);
            } catch (OnnxImportException e) {
                return new Row(name, ops, false, e.getMessage());
            }
            if (!Files.exists(set.resolve("output_0.pb")) || Files.exists(set.resolve("output_1.pb"))) {
                return new Row(name, ops, false, "FAIL: imported, but the test has not exactly one output");
            }
            TensorProto y = TensorProto.parseFrom(Files.readAllBytes(set.resolve("output_0.pb")));
            if (x.getDataType() != TensorProto.DataType.FLOAT_VALUE || y.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                return new Row(name, ops, false, "FAIL: imported, but the data is not float32");
            }
            float[] xs = decode(x);
            float[] expected = decode(y);
            int sample = m.inputShape().size();
            if (xs.length % sample != 0) {
                return new Row(name, ops, false, "FAIL: input of " + xs.length + " values for samples of " + m.inputShape());
            }
            float[] actual = Graphs.predict(m, xs, xs.length / sample);
            if (actual.length != expected.length) {
                return new Row(name, ops, false, "FAIL: " + actual.length + " output values, ONNX expects " + expected.length);
            }
            for (int i = 0; i < actual.length; i++) {
                double diff = Math.abs(actual[i] - expected[i]);
                if (!(diff <= RTOL * Math.abs(expected[i]) + ATOL)) {
                    return new Row(name, ops, false, String.format(Locale.ROOT, "FAIL: %s output %d is %s, ONNX expects %s",
                            set.getFileName(), i, actual[i], expected[i]));
                }
                maxRel = Math.max(maxRel, diff / Math.max(Math.abs(expected[i]), 1e-30));
            }
        }
        LOG.debug("{}: max relative difference {}", name, maxRel);
        return new Row(name, ops, true, sets.size() + (sets.size() == 1 ? " data set" : " data sets"));
    }

    /** The float32 values of a test-data tensor, checked like the importer's initializers. */
    private static float[] decode(TensorProto t) throws IOException {
        try {
            OnnxImport.checkTensor(t, "tensor '" + t.getName() + "'");
        } catch (OnnxImportException e) {
            throw new IOException(e.getMessage(), e);
        }
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        float[] v = new float[(int) n];
        if (t.hasRawData()) {
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else {
            for (int i = 0; i < n; i++) {
                v[i] = t.getFloatData(i);
            }
        }
        return v;
    }
}
