package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code summary} accepts every model and architecture file the tool writes or ships. */
class SummaryCommandTest {
    static void assertSummary(Path file, String kind, String parameters) {
        CliTest.Result r = CliTest.run("summary", file.toString());
        assertEquals(0, r.code(), file + ": " + r.err());
        assertTrue(r.out().contains(file + ": " + kind), r.out());
        assertTrue(r.out().contains("Total parameters: " + parameters), r.out());
    }

    @Test
    void shippedConfigs() {
        Path configs = Path.of(System.getProperty("cnn4j.repoRoot", "..")).resolve("cnn-examples/configs");
        assertSummary(configs.resolve("modern.json"), "cnn4j native format", "");
        assertSummary(configs.resolve("model_A.json"), "config in the paper's format", "13,610");
        // by name, from any folder: the copies packaged in the jar
        CliTest.Result r = CliTest.run("summary", "modern.json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Using the bundled config modern.json."), r.out());
        assertEquals(CliTest.run("summary", configs.resolve("modern.json").toString()).out().lines().skip(1).toList(),
                r.out().lines().skip(2).toList(), "the bundled copy is the shipped file");
    }

    @Test
    void everyFileATrainingRunWrites(@TempDir Path dir) throws IOException {
        Path mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
        CliTest.Result t = CliTest.run("train", "model_A.json", "--data", mnist.toString(), "--limit", "300", "--epochs", "1",
                "--out", dir.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        assertSummary(dir.resolve("model_A.json"), "trained model in the paper's format", "13,610");
        assertSummary(dir.resolve("model_A_last.json"), "trained model in the paper's format", "13,610");
        assertSummary(dir.resolve("model_A.ckpt"), "checkpoint", "13,610");
        Path exported = dir.resolve("native.json");
        assertEquals(0, CliTest.run("export", dir.resolve("model_A.json").toString(), exported.toString()).code());
        assertSummary(exported, "cnn4j native format", "13,610");
        Path onnx = dir.resolve("a.onnx");
        assertEquals(0, CliTest.run("export", dir.resolve("model_A.json").toString(), onnx.toString()).code());
        assertSummary(onnx, "ONNX model, imported", "13,610");
    }
}
