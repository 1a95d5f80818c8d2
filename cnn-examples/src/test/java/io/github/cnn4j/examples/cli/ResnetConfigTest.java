package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.json.NativeModel;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.WeightDecay;
import io.github.cnn4j.train.CosineAnnealing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped residual network, {@code configs/resnet.json}: its layers and recipe, its summary, the bench preset and a short run. */
class ResnetConfigTest {
    private static Path mnist;

    @BeforeAll
    static void fetchMnist() throws IOException {
        mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
    }

    static Path resnetConfig() {
        return Path.of(System.getProperty("cnn4j.repoRoot", "..")).resolve("cnn-examples/configs/resnet.json");
    }

    @Test
    void theShippedConfigIsAResidualNetworkWithARecipe() throws IOException {
        NativeModel arch = NativeModelFormat.readArchitecture(resnetConfig());
        long residuals = arch.model().layers().stream().filter(l -> l instanceof Residual).count();
        assertTrue(residuals >= 2, "residual blocks: " + residuals);
        // downsampling by max pooling, so that every convolution runs at stride 1
        assertEquals(2, arch.model().layers().stream().filter(l -> l instanceof MaxPool).count());
        assertEquals(10, arch.model().outputShape().size());
        ModernRecipe r = ModernRecipe.fromMetadata(arch.metadata());
        assertEquals(3, r.seeds().size());
        assertTrue(r.optimizer() instanceof WeightDecay, r.optimizer().name());
        assertTrue(r.schedule(r.epochs()) instanceof CosineAnnealing);
        assertTrue(r.flip() > 0 && r.shift() > 0, r.describe());
    }

    /** The Java of docs/beyond.md's "A small residual network": kept line for line in the document. */
    static Sequential javaResnet() {
        Sequential resnet = Sequential.of(
                new Conv(3, 3, 32).padding(1), new BatchNorm(), new ReLU(), new MaxPool(2),
                new Residual(new Block(new Conv(3, 3, 32).padding(1), new BatchNorm(), new ReLU(),
                                       new Conv(3, 3, 32).padding(1), new BatchNorm())), new ReLU(), new MaxPool(2),
                new Residual(new Block(new Conv(3, 3, 64).padding(1), new BatchNorm(), new ReLU(),
                                       new Conv(3, 3, 64).padding(1), new BatchNorm())), new ReLU(),   // 1x1 projection added
                new Flatten(), new Dense(128), new BatchNorm(), new ReLU(), new Dropout(0.3), new Dense(10), new Softmax())
            .input(1, 28, 28).seed(1).init(InitPreset.MODERN).build();
        return resnet;
    }

    @Test
    void theDocumentedJavaBuildsTheShippedNetwork() throws IOException {
        NativeModel arch = NativeModelFormat.readArchitecture(resnetConfig());
        Sequential java = javaResnet();
        assertEquals(arch.model().toString(), java.toString());
        assertEquals(arch.model().parameterCount(), java.parameterCount());
        for (int i = 0; i < java.parameters().size(); i++) {   // the same seed and init: the same initial weights
            assertArrayEquals(arch.model().parameters().get(i).value(), java.parameters().get(i).value(), 0f);
        }
        Path root = resnetConfig().getParent().getParent().getParent();
        String src = Files.readString(root.resolve("cnn-examples/src/test/java/io/github/cnn4j/examples/cli/ResnetConfigTest.java"));
        String body = src.substring(src.indexOf("        Sequential resnet = Sequential.of("), src.indexOf("        return resnet;"));
        String doc = Files.readString(root.resolve("docs/beyond.md"));
        for (String line : body.lines().toList()) {
            String expected = line.length() >= 8 ? line.substring(8) : line.strip();   // the document indents by 8 less
            assertTrue(doc.contains(expected), "docs/beyond.md lacks the line: " + expected);
        }
    }

    @Test
    void summaryShowsTheNesting() {
        CliTest.Result r = CliTest.run("summary", resnetConfig().toString());
        assertEquals(0, r.code(), r.err());
        // a residual block (4), its inner block (4.0) and the block's first convolution (4.0.0); an identity shortcut (no 4.1)
        assertTrue(Pattern.compile("(?m)^4 +Residual").matcher(r.out()).find(), r.out());
        assertTrue(Pattern.compile("(?m)^4\\.0 +Block").matcher(r.out()).find(), r.out());
        assertTrue(Pattern.compile("(?m)^4\\.0\\.0 +Conv\\(3x3").matcher(r.out()).find(), r.out());
        assertFalse(Pattern.compile("(?m)^4\\.1 ").matcher(r.out()).find(), r.out());
        // the second residual block changes 32 channels to 64: a 1x1 projection shortcut (7.1)
        assertTrue(Pattern.compile("(?m)^7\\.1 +Conv\\(1x1, 64 filters\\)").matcher(r.out()).find(), r.out());
    }

    @Test
    void isANamedBenchPreset() {
        CliTest.Result r = CliTest.run("bench", "--models", "RESNET", "--quick", "--only", "inf1000", "--runs", "1",
                "--data", mnist.toString(), "--limit", "200");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("(?m)^\\| RESNET \\| ([0-9,]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 0, r.out());
    }

    @Test
    void trainsWithTheModernCommandOnARealMnistSubset(@TempDir Path dir) throws IOException {
        CliTest.Result r = CliTest.run("modern", "resnet.json", "--data", mnist.toString(), "--limit", "2000",
                "--epochs", "1", "--seeds", "4", "--out", dir.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("Seed 4: best epoch 1 of 1 by validation accuracy ([0-9.]+)%; test accuracy ([0-9.]+)%").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(2)) > 30, "one epoch (28 steps) on 1,800 images, chance is 10%: " + m.group(2));
        NativeModel saved = NativeModelFormat.readWithMetadata(dir.resolve("resnet_mnist_seed4.json"));
        assertEquals(m.group(2), String.format(Locale.ROOT, "%.2f", 100 * Double.parseDouble(saved.metadata().get("result.test_accuracy"))));
        assertTrue(saved.model().layers().stream().anyMatch(l -> l instanceof Residual));
    }
}
