package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cnn4j.examples.paper.Reproduction;
import io.github.cnn4j.io.FetchException;
import io.github.cnn4j.io.fetch.AuthorsFiles;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reproduce --seeds} on a small slice of MNIST, and {@code --published} with and without a directory. */
class ReproduceSeedsAndAuthorsTest {
    private static Path mnist;

    @BeforeAll
    static void fetchMnist() throws IOException {
        mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
    }

    @Test
    void seedStudyWritesTableCsvFigureAndSeedOneIsTheDefaultRun(@TempDir Path dir) throws IOException {
        Path seeds = dir.resolve("seeds");
        CliTest.Result r = CliTest.run("reproduce", "--seeds", "3", "--models", "A,B", "--epochs", "1", "--limit", "300", "--quiet",
                "--data", mnist.toString(), "--out", seeds.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3 seed(s), true gradient"), r.out());
        assertTrue(r.out().contains("| Model | Paper | Seeds | Mean ± std (ours) | Min – max (ours) | Paper's percentile among ours |"), r.out());
        assertTrue(r.out().matches("(?s).*\\| A \\| 97\\.23% \\| 3 \\| \\d+\\.\\d\\d% ± \\d+\\.\\d\\d \\| .*"), r.out());

        List<String> csv = Files.readAllLines(seeds.resolve("seed_accuracies.csv"));
        assertEquals("model,seed_number,seed,best_epoch,accuracy,paper_accuracy", csv.get(0));
        assertEquals(7, csv.size());
        long seedA = PaperFormat.readConfig(CliTest.config("A")).training().seed();
        assertEquals("A,1," + seedA + ",1,", csv.get(1).substring(0, ("A,1," + seedA + ",1,").length()));
        assertTrue(csv.get(2).startsWith("A,2," + Reproduction.seed(seedA, 2) + ",1,"), csv.get(2));
        assertEquals(Reproduction.seed(seedA, 3), PaperFormat.readModel(seeds.resolve("seed-3/CNN_A.json")).config().training().seed());
        BufferedImage png = ImageIO.read(seeds.resolve("seed_accuracies.png").toFile());
        assertEquals(2 * 520, png.getWidth());
        assertTrue(Files.readString(seeds.resolve("seed_summary.md")).contains("| B | 98.16% | 3 |"));

        // Seed 1 is the single-seed reproduction, unchanged: the same trained weights, bit for bit.
        Path single = dir.resolve("single");
        CliTest.Result one = CliTest.run("reproduce", "--models", "A", "--epochs", "1", "--limit", "300", "--quiet",
                "--data", mnist.toString(), "--out", single.toString());
        assertEquals(0, one.code(), one.err());
        assertArrayEquals(Files.readAllBytes(single.resolve("CNN_A.json")), Files.readAllBytes(seeds.resolve("seed-1/CNN_A.json")));
    }

    @Test
    void badSeedsAndSeedsWithPublishedAreOneLineErrors() {
        CliTest.Result r = CliTest.run("reproduce", "--seeds", "0", "--data", mnist.toString());
        assertEquals(1, r.code());
        assertEquals("cnn4j: --seeds: expected a count from 1 to 1000, got 0", r.err().strip());
        r = CliTest.run("reproduce", "--seeds", "2", "--published", "somewhere", "--data", mnist.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().strip().endsWith("cannot be combined with --published"), r.err());
    }

    @Test
    void publishedFromADirectoryReproducesTableOne(@TempDir Path out) {
        Path shared = Path.of(System.getProperty("cnn4j.repoRoot", "..")).resolve("../shared/reference/paper/models").normalize();
        Path models = shared;
        if (!Files.isDirectory(shared)) {
            try {
                models = AuthorsFiles.fetch().resolve("models");
            } catch (IOException e) {
                String why = e instanceof FetchException f ? f.summary() : e.toString();
                assumeTrue(false, "the authors' models are not available: no " + shared + " and " + why);
            }
        }
        CliTest.Result r = CliTest.run("reproduce", "--published", models.toString(), "--models", "B", "--data", mnist.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| 98.16% | 98.16% | +0.00 |"), r.out());
    }

    @Test
    void publishedWithoutADirectoryUsesTheVerifiedDownloadOrSaysWhatToDo(@TempDir Path out) {
        CliTest.Result r = CliTest.run("reproduce", "--published", "--models", "B", "--data", mnist.toString(), "--out", out.toString());
        if (r.code() == 0) {
            assertTrue(r.out().contains("| 98.16% | 98.16% | +0.00 |"), r.out());
            assertTrue(Files.isRegularFile(AuthorsFiles.builder().build().cacheDir().resolve(AuthorsFiles.model("B"))));
        } else {
            assertEquals(1, r.code());
            String err = r.err().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("cnn4j: --published: cannot get the authors' files from " + AuthorsFiles.REPOSITORY + " (could not fetch "),
                    err);
            assertTrue(err.endsWith("offline, give a directory holding them: --published DIR"), err);
            assertFalse(err.contains("\tat "), err);
        }
    }
}
