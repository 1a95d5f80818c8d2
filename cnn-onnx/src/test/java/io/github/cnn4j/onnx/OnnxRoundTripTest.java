package io.github.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.json.ModelFiles;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cnn4j -> ONNX file -> cnn4j gives the same layers, the same parameter values bit for bit, and
 * identical outputs, for every model in the repository: each architecture in
 * {@code cnn-examples/configs} (built with its seed), the authors' trained models A-F, and the
 * residual network of {@link OnnxImporterTest}.
 */
class OnnxRoundTripTest {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRoundTripTest.class);

    static Stream<Path> configs() throws IOException {
        Path dir = TestData.repoRoot().resolve("cnn-examples/configs");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
            assertTrue(all.size() >= 7, "the bundled configs in " + dir + ": " + all);
            return all.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void bundledArchitectureRoundTrips(Path config, @TempDir Path dir) throws Exception {
        Sequential model = switch (ModelFiles.detect(config)) {
            case CNN4J_MODEL -> NativeModelFormat.readArchitecture(config).model();
            case PAPER_CONFIG -> PaperFormat.readConfig(config).buildModel();
            case PAPER_MODEL -> PaperFormat.readModel(config).model();
        };
        roundTrip(config.getFileName().toString(), model, dir, Graphs.random(config.hashCode(), 64 * model.inputShape().size()), 64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "B", "C", "D", "E", "F"})
    void authorsModelRoundTripsOnMnist(String letter, @TempDir Path dir) throws Exception {
        Sequential model = PaperFormat.readModel(TestData.authors("models/CNN_" + letter + ".json")).model();
        Dataset test = TestData.mnist().test().subset(0, 1000);
        Path file = dir.resolve("m.onnx");
        OnnxExporter.write(file, model);
        Sequential back = OnnxImporter.read(file);
        assertEquals(OnnxImporterTest.names(model), OnnxImporterTest.names(back));
        samePararameters(model, back);
        assertArrayEquals(model.predict(test, 2), back.predict(test, 2), 0f, "CNN_" + letter + " on 1000 MNIST test images");
    }

    @Test
    void residualNetworkRoundTrips(@TempDir Path dir) throws Exception {
        Sequential model = OnnxImporterTest.residualModel(21);
        roundTrip("residual", model, dir, Graphs.random(4, 32 * model.inputShape().size()), 32);
    }

    private static void roundTrip(String what, Sequential model, Path dir, float[] x, int n) throws Exception {
        Path file = dir.resolve("m.onnx");
        OnnxExporter.write(file, model);
        Sequential back = OnnxImporter.read(file);
        assertEquals(OnnxImporterTest.flatNames(model), OnnxImporterTest.names(back), what);
        samePararameters(model, back);
        float[] expected = Graphs.predict(model, x, n);
        assertArrayEquals(expected, Graphs.predict(back, x, n), 0f, what + ": identical outputs");
        LOG.info("{}: {} layers, {} parameters, {} bytes of ONNX, identical outputs on {} inputs", what, back.layers().size(),
                back.parameterCount(), Files.size(file), n);
    }

    private static void samePararameters(Sequential a, Sequential b) {
        assertEquals(a.parameters().size(), b.parameters().size());
        for (int i = 0; i < a.parameters().size(); i++) {
            Parameter p = a.parameters().get(i);
            assertEquals(p.shape(), b.parameters().get(i).shape(), p.name());
            assertArrayEquals(p.value(), b.parameters().get(i).value(), 0f, p.name());
        }
        assertEquals(a.state().size(), b.state().size());
        for (int i = 0; i < a.state().size(); i++) {
            assertArrayEquals(a.state().get(i).value(), b.state().get(i).value(), 0f, a.state().get(i).name());
        }
    }
}
