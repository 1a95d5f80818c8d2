package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.io.json.NativeModel;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.optim.WeightDecay;
import io.github.cnn4j.train.CosineAnnealing;
import io.github.cnn4j.train.ReduceOnPlateau;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.train.StepDecay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnn4j modern}: the shipped config, the recipe in its metadata, and a short real run. */
class ModernCommandTest {
    private static Path mnist;

    @BeforeAll
    static void fetchMnist() throws IOException {
        mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
    }

    static Path modernConfig() {
        return Path.of(System.getProperty("cnn4j.repoRoot", "..")).resolve(ModernCommand.DEFAULT_CONFIG);
    }

    @Test
    void theShippedConfigIsAnArchitectureWithARecipe() throws IOException {
        NativeModel arch = NativeModelFormat.readArchitecture(modernConfig());
        assertTrue(arch.model().layers().stream().anyMatch(l -> l instanceof BatchNorm));
        assertTrue(arch.model().layers().stream().anyMatch(l -> l instanceof Dropout));
        ModernRecipe r = ModernRecipe.fromMetadata(arch.metadata());
        assertEquals(List.of(1L, 2L, 3L), r.seeds());
        assertTrue(r.optimizer() instanceof WeightDecay, r.optimizer().name());
        assertTrue(r.schedule(r.epochs()) instanceof CosineAnnealing);
        assertNotNull(r.augmentation());
        assertTrue(r.validationSplit() > 0 && r.patience() > 0);
        assertTrue(arch.model().parameterCount() < 65_000, "LeNet-5-sized: " + arch.model().parameterCount());
    }

    @Test
    void recipeDefaultsAndErrors() {
        Map<String, String> m = new HashMap<>(Map.of("train.learning_rate", "0.01", "train.epochs", "4", "description", "free text"));
        ModernRecipe r = ModernRecipe.fromMetadata(m);
        assertEquals("adam", r.optimizerName());
        assertEquals(64, r.batchSize());
        assertEquals(0.1, r.validationSplit());
        assertEquals(0, r.patience());
        assertNull(r.augmentation());
        assertEquals(List.of(1L), r.seeds());
        assertEquals("adam(lr=0.01)", r.optimizer().name());
        m.put("train.schedule", "step:2:0.5");
        assertTrue(ModernRecipe.fromMetadata(m).schedule(4) instanceof StepDecay);
        m.put("train.schedule", "plateau:2:0.5:1e-5");
        assertTrue(ModernRecipe.fromMetadata(m).schedule(4) instanceof ReduceOnPlateau);
        m.put("train.augment.shift", "1");
        assertTrue(ModernRecipe.fromMetadata(m).augmentation() instanceof RandomAffine);
        m.put("train.augment.flip", "0.5");
        assertNotNull(ModernRecipe.fromMetadata(m).augmentation());
        assertFalse(ModernRecipe.fromMetadata(m).augmentation() instanceof RandomAffine, "shift then flip");
        m.put("train.optimizer", "momentum");
        assertEquals("momentum(lr=0.01, mu=0.9)", ModernRecipe.fromMetadata(m).optimizer().name());

        assertError(Map.of("train.epochs", "4"), "train.learning_rate: required training setting is missing");
        assertError(Map.of("train.learning_rate", "fast", "train.epochs", "4"), "train.learning_rate: expected a number, found 'fast'");
        assertError(Map.of("train.learning_rate", "0.1", "train.epochs", "4", "train.lr", "0.1"), "unknown training setting(s) [train.lr]");
        assertError(Map.of("train.learning_rate", "0.1", "train.epochs", "4", "train.schedule", "cosine:x"), "train.schedule 'cosine:x'");
        assertError(Map.of("train.learning_rate", "0.1", "train.epochs", "4", "train.optimizer", "rmsprop"), "train.optimizer");
        assertError(Map.of("train.learning_rate", "0.1", "train.epochs", "4", "train.seeds", "1,two"), "train.seeds");
        assertError(Map.of("train.learning_rate", "0.1", "train.epochs", "4", "train.augment.flip", "1.5"),
                "train.augment.flip: expected a probability in [0, 1], found 1.5");
    }

    @Test
    void flipMirrorsWholeSamplesAndShiftMovesThem() {
        Map<String, String> m = new HashMap<>(Map.of("train.learning_rate", "0.01", "train.epochs", "1", "train.augment.flip", "1"));
        float[] batch = new float[2 * 2 * 3];   // two samples of (1, 2, 3)
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i + 1;
        }
        ModernRecipe.fromMetadata(m).augmentation().apply(batch, 2, Shape.of(1, 2, 3), new long[] {7, 8});
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, batch);

        // p = 0.5: over many samples about half are mirrored, the rest unchanged; the same seeds give the same choice
        m.put("train.augment.flip", "0.5");
        int n = 400;
        float[] many = new float[n * 3];
        long[] seeds = new long[n];
        for (int k = 0; k < n; k++) {
            many[3 * k] = 1;
            many[3 * k + 2] = 3;
            seeds[k] = 1000 + k;
        }
        float[] again = many.clone();
        ModernRecipe.fromMetadata(m).augmentation().apply(many, n, Shape.of(1, 1, 3), seeds);
        ModernRecipe.fromMetadata(m).augmentation().apply(again, n, Shape.of(1, 1, 3), seeds);
        assertArrayEquals(many, again);
        int flipped = 0;
        for (int k = 0; k < n; k++) {
            assertTrue(many[3 * k] == 1 && many[3 * k + 2] == 3 || many[3 * k] == 3 && many[3 * k + 2] == 1, "sample " + k);
            flipped += many[3 * k] == 3 ? 1 : 0;
        }
        assertTrue(flipped > 150 && flipped < 250, "flipped " + flipped + " of " + n);
    }

    private static void assertError(Map<String, String> m, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModernRecipe.fromMetadata(m));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void shortRunOfTwoSeedsOnARealMnistSubset(@TempDir Path dir) throws IOException {
        CliTest.Result r = CliTest.run("modern", modernConfig().toString(), "--data", mnist.toString(), "--limit", "2000",
                "--epochs", "1", "--seeds", "4,5", "--out", dir.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Seed 4") && r.out().contains("Seed 5"), r.out());
        assertTrue(r.out().contains("Test accuracy over 2 seed(s): mean "), r.out());
        assertTrue(r.out().contains("Confusion matrix (rows: true class, columns: predicted)"), r.out());
        Matcher m = Pattern.compile("Seed 4: best epoch 1 of 1 by validation accuracy ([0-9.]+)%; test accuracy ([0-9.]+)%").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(2)) > 80, "one epoch on 1,800 images: " + m.group(2));
        NativeModel saved = NativeModelFormat.readWithMetadata(dir.resolve("modern_mnist_seed4.json"));
        assertEquals("4", saved.metadata().get("result.seed"));
        assertEquals(m.group(2), String.format(java.util.Locale.ROOT, "%.2f", 100 * Double.parseDouble(saved.metadata().get("result.test_accuracy"))));
        assertEquals(2, Files.readAllLines(dir.resolve("modern_mnist_seed5.csv")).size());
        assertTrue(Files.size(dir.resolve("modern_mnist_seed5_confusion.png")) > 1000);
    }

    @Test
    void missingConfigIsOneClearLine(@TempDir Path dir) {
        CliTest.Result r = CliTest.run("modern", dir.resolve("nope.json").toString(), "--data", mnist.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("cnn4j: " + dir.resolve("nope.json") + ": no such file"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
