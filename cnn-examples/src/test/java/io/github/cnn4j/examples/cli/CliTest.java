package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.json.PaperConfig;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.json.PaperModel;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.kernel.Vectorization;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tool as a user runs it: argument errors, and a small train then test on real MNIST. */
class CliTest {
    private static Path mnist;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void fetchMnist() throws IOException {
        mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cnn4jCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static Path config(String letter) {
        return Path.of(System.getProperty("cnn4j.repoRoot", "..")).resolve("cnn-examples/configs/model_" + letter + ".json");
    }

    @Test
    void unknownCommandIsAUsageError() {
        Result r = run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("frobnicate"), r.err());
    }

    @Test
    void trainWithoutConfigIsAUsageError() {
        Result r = run("train");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("CONFIG.json"), r.err());
    }

    @Test
    void missingModelFileIsOneClearLineWithoutStackTrace(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        Result r = run("test", missing.toString(), "--data", mnist.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("cnn4j: "), r.err());
        assertTrue(r.err().contains("nope.json"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void verboseShowsTheStackTrace(@TempDir Path dir) {
        Result r = run("test", dir.resolve("nope.json").toString(), "--data", mnist.toString(), "--verbose");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void corruptConfigNamesTheFileAndField(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("bad.json");
        Files.writeString(cfg, "{\"seed\": 1, \"learning_rate\": \"fast\", \"epochs\": 1, \"output_filename\": \"x\", \"convolutional_layers\": []}");
        Result r = run("train", cfg.toString(), "--data", mnist.toString(), "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.json"), r.err());
        assertTrue(r.err().contains("learning_rate"), r.err());
    }

    @Test
    void unknownReproduceModelIsRejected() {
        Result r = run("reproduce", "--models", "Z", "--data", mnist.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown model 'Z'"), r.err());
    }

    @Test
    void exportsThePublishedModelToNativeAndOnnx(@TempDir Path dir) throws IOException {
        Path published = dir.resolve("CNN_B.json"); // a model in the paper's format, untrained: B's architecture
        PaperConfig b = PaperFormat.readConfig(config("B"));
        PaperFormat.writeModel(published, b.buildModel(), b.training(), 1);
        Path json = dir.resolve("b.json");
        Path onnx = dir.resolve("b.onnx");
        assertEquals(0, run("export", published.toString(), json.toString()).code());
        assertEquals(0, run("export", published.toString(), onnx.toString()).code());
        float[] x = new float[784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 37 % 255) / 255f;
        }
        assertArrayEquals(PaperFormat.readModel(published).model().predict(x),
                io.github.cnn4j.io.json.ModelFiles.load(json).predict(x));
        assertTrue(Files.size(onnx) > 8000, "the ONNX file holds B's 2,032 weights");
        Result bad = run("export", published.toString(), dir.resolve("b.txt").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains(".onnx"), bad.err());
    }

    @Test
    void trainThenTestOnARealMnistSubset(@TempDir Path dir) throws IOException {
        Result t = run("train", config("A").toString(), "--data", mnist.toString(), "--limit", "3000",
                "--epochs", "2", "--out", dir.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("Total parameters: 13,610"), t.out());

        // Logs in the paper's layout, one row per epoch and per block of 250 samples.
        List<String> epochs = Files.readAllLines(dir.resolve("model_A.csv"));
        assertEquals("Epoch, Training Set, Test Set, Test Correct", epochs.get(0));
        assertEquals(3, epochs.size());
        assertTrue(epochs.get(1).startsWith("1, ") && epochs.get(1).endsWith("%"), epochs.get(1));
        List<String> blocks = Files.readAllLines(dir.resolve("model_A_block_error.csv"));
        assertEquals("Trained Samples, Block Average Training Error", blocks.get(0));
        assertEquals(1 + 2 * 3000 / 250, blocks.size());
        assertTrue(blocks.get(1).startsWith("250,"), blocks.get(1));

        // The best and the last model, in the paper's format.
        PaperModel best = PaperFormat.readModel(dir.resolve("model_A.json"));
        PaperModel last = PaperFormat.readModel(dir.resolve("model_A_last.json"));
        assertEquals(2, last.trainedEpochs());
        assertTrue(best.trainedEpochs() >= 1 && best.trainedEpochs() <= 2);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }

        Path png = dir.resolve("confusion.png");
        Result e = run("test", dir.resolve("model_A.json").toString(), "--data", mnist.toString(), "--limit", "3000", "--png", png.toString());
        assertEquals(0, e.code(), e.err());
        Matcher m = Pattern.compile("Accuracy: ([0-9.]+)%").matcher(e.out());
        assertTrue(m.find(), e.out());
        double acc = Double.parseDouble(m.group(1));
        assertTrue(acc > 80 && acc < 100, "a 2-epoch model A on 3,000 images: " + acc);
        assertTrue(e.out().contains("Precision") && e.out().contains("Recall"), e.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 500);

        Result s = run("summary", dir.resolve("model_A.json").toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("Conv(3x3, 8 filters)"), s.out());
    }

    @Test
    void benchPrintsATableAndJsonWithoutTimingAssertions() {
        Result md = run("bench", "--models", "b", "--only", "inf1,sgd", "--runs", "1", "--seconds", "0.02", "--warmup", "0",
                "--limit", "300", "--data", mnist.toString());
        assertEquals(0, md.code(), md.err());
        assertTrue(md.out().contains("| Model | train b1 1T | infer b1 1T | infer b1 2T |"), md.out());
        assertTrue(md.out().lines().anyMatch(l -> l.startsWith("| B | ")), md.out());
        // the header names the kernels that ran (the build's test JVMs have the Vector API module)
        assertTrue(md.out().contains("Kernels: " + Vectorization.describe()), md.out());
        assertTrue(md.out().contains("Other processes: "), md.out());

        Result js = run("bench", "--models", "A", "--only", "mb64", "--threads", "2", "--runs", "2", "--seconds", "0.02",
                "--warmup", "0", "--json", "--limit", "300", "--data", mnist.toString());
        assertEquals(0, js.code(), js.err());
        assertTrue(js.out().startsWith("{") && js.out().strip().endsWith("}"), js.out());
        assertEquals(2, js.out().split("\"kind\": \"train\"", -1).length - 1, "b64 on 1 and 2 threads: " + js.out());
        assertTrue(js.out().contains("\"bytesPerStep\": ") && js.out().contains("\"gflops\": "), js.out());
        assertTrue(js.out().contains("\"vectorKernels\": " + Vectorization.enabled() + ","), js.out());
        assertTrue(js.out().contains("\"underContention\": "), js.out());

        Result bad = run("bench", "--models", "Z", "--data", mnist.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown model 'Z'"), bad.err());
    }
}
