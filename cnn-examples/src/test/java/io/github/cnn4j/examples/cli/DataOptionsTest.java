package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.examples.paper.Reproduction;
import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.io.json.PaperConfig;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.json.PaperModel;
import io.github.cnn4j.io.mnist.KaggleCsv;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which samples {@code test} evaluates and {@code train} tests on, and where their files go. */
class DataOptionsTest {
    @TempDir
    static Path shared;
    private static Path csv;
    private static Path otherCsv;
    private static Path model;

    @BeforeAll
    static void fixtures() throws IOException {
        Path mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
        Dataset test = MnistLoader.loadTest(mnist);
        csv = shared.resolve("labelled.csv");
        KaggleCsv.writeLabeled(csv, test.subset(0, 700));
        otherCsv = shared.resolve("other.csv");
        KaggleCsv.writeLabeled(otherCsv, test.subset(700, 900));
        // an untrained model A in the paper's format: enough to count what is evaluated
        PaperConfig cfg = Reproduction.config("A", shared);
        Path models = Files.createDirectories(shared.resolve("models"));
        model = models.resolve("untrained_A.json");
        PaperFormat.writeModel(model, PaperModel.of(cfg.buildModel(), cfg.training(), 1));
    }

    @Test
    void testEvaluatesEveryRowOfTheCsvAndWritesIntoOut(@TempDir Path out) throws IOException {
        CliTest.Result r = CliTest.run("test", model.toString(), "--data", csv.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("700 labelled samples"), r.out());
        Matcher m = Pattern.compile("Accuracy: [0-9.]+% \\((\\d+) / (\\d+)\\)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals("700", m.group(2), "all rows, not the last seventh");
        assertTrue(Files.size(out.resolve("untrained_A_confusion.png")) > 1000);
        try (var beside = Files.list(model.getParent())) {
            assertEquals(1, beside.count(), "nothing written beside the model");
        }
    }

    @Test
    void testWritesIntoTheWorkingDirectoryByDefault() throws IOException {
        Path png = Path.of("untrained_A_confusion.png");
        Files.deleteIfExists(png);
        try {
            CliTest.Result r = CliTest.run("test", model.toString(), "--data", csv.toString(), "--limit", "50");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("50 labelled samples"), r.out());
            assertTrue(Files.isRegularFile(png), r.out());
            assertFalse(Files.exists(model.resolveSibling("untrained_A_confusion.png")));
        } finally {
            Files.deleteIfExists(png);
        }
    }

    @Test
    void trainOnOneCsvAsksForATestSet(@TempDir Path out) {
        CliTest.Result r = CliTest.run("train", "model_A.json", "--data", csv.toString(), "--epochs", "1", "--out", out.toString());
        CliErrorsTest.assertOneLine(r, 2);
        assertTrue(r.err().contains("--test-data PATH") && r.err().contains("--holdout FRACTION"), r.err());
        CliErrorsTest.assertOneLine(CliTest.run("train", "model_A.json", "--data", csv.toString(), "--holdout", "1.5"), 2);
        CliErrorsTest.assertOneLine(CliTest.run("train", "model_A.json", "--data", csv.toString(), "--holdout", "0.1",
                "--test-data", otherCsv.toString()), 2);
    }

    @Test
    void holdoutTestsOnTheEndOfTheFileAndSaysSo(@TempDir Path out) throws IOException {
        CliTest.Result r = CliTest.run("train", "model_A.json", "--data", csv.toString(), "--holdout", "0.2", "--epochs", "1",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Held out for testing: the last 140 of the 700 samples of " + csv + " (samples 561-700"), r.out());
        assertTrue(r.out().contains("training on the first 560."), r.out());
        TrainingState.Settings s = CheckpointFormat.read(out.resolve("model_A.ckpt")).state().settings();
        assertEquals(560, s.trainSize());
        assertEquals(140, s.testSize());
    }

    @Test
    void testDataIsTheWholeOtherFile(@TempDir Path out) throws IOException {
        CliTest.Result r = CliTest.run("train", "model_A.json", "--data", csv.toString(), "--test-data", otherCsv.toString(),
                "--epochs", "1", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("Held out"), r.out());
        TrainingState.Settings s = CheckpointFormat.read(out.resolve("model_A.ckpt")).state().settings();
        assertEquals(700, s.trainSize());
        assertEquals(200, s.testSize());
    }
}
