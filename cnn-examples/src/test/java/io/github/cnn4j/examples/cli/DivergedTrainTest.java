package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code train} at a learning rate that diverges without NaN (issue 17): the run stops as diverged
 * with exit code 1 and one line, and leaves the files of the earlier run in its output directory as
 * they were.
 */
class DivergedTrainTest {
    private static Path mnist;
    @TempDir
    static Path healthy;
    private static Map<String, byte[]> earlier;

    @BeforeAll
    static void anEarlierHealthyRun() throws IOException {
        mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
        CliTest.Result r = CliTest.run("train", CliTest.config("A").toString(), "--data", mnist.toString(), "--limit", "3000",
                "--epochs", "1", "--out", healthy.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        earlier = contents(healthy);
        assertTrue(earlier.keySet().containsAll(List.of("model_A.json", "model_A_last.json", "model_A.csv", "model_A_block_error.csv",
                "model_A.ckpt")), earlier.keySet().toString());
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource({"1e6, grew past the weight bound", "20, grew past the weight bound", "5, loss worse than guessing",
            "2, loss worse than guessing"})
    void aDivergingLearningRateStopsWithOneLineAndWritesNothing(String rate, String why, @TempDir Path dir) throws IOException {
        for (Map.Entry<String, byte[]> f : earlier.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        CliTest.Result r = CliTest.run("train", CliTest.config("A").toString(), "--data", mnist.toString(), "--limit", "3000",
                "--learning-rate", rate, "--out", dir.toString(), "--quiet");
        assertEquals(1, r.code(), r.out() + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("cnn4j: ") && lines.get(0).contains(why) && lines.get(0).contains("epoch 1, step "), lines.get(0));
        Map<String, byte[]> after = contents(dir);
        assertEquals(earlier.keySet(), after.keySet(), "no file added (nor a temporary one left) or removed");
        for (Map.Entry<String, byte[]> f : earlier.entrySet()) {
            assertArrayEquals(f.getValue(), after.get(f.getKey()), f.getKey() + " of the earlier run is unchanged");
        }
    }
}
