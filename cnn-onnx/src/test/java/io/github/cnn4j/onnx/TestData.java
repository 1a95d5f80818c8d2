package io.github.cnn4j.onnx;

import io.github.cnn4j.io.FetchException;
import io.github.cnn4j.io.fetch.AuthorsFiles;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Test data of the ONNX tests: the real MNIST (fetched once per machine into the default cache, with
 * no HTTP mirrors, as cnn-io's tests do) and the paper authors' published files (beside the repository or fetched).
 */
final class TestData {
    private static MnistData mnist;
    private static Path authorsDir;
    private static String authorsProblem;

    private TestData() {
    }

    /** @return the multi-module root (system property {@code cnn4j.repoRoot}, set by surefire) */
    static Path repoRoot() {
        String p = System.getProperty("cnn4j.repoRoot");
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        return Files.isDirectory(dir.resolve("cnn-onnx")) ? dir : dir.getParent();
    }

    /**
     * The paper authors' published file: from {@code ../shared/reference/paper} beside the repository
     * when it is there, else fetched and verified by {@link AuthorsFiles} (as cnn-io's tests do); the
     * calling test is skipped, saying why, when neither works.
     *
     * @param relative a path among {@link AuthorsFiles#files()}, e.g. {@code models/CNN_A.json}
     * @return the file
     */
    static synchronized Path authors(String relative) {
        if (authorsDir == null && authorsProblem == null) {
            Path shared = repoRoot().resolve("../shared/reference/paper").normalize();
            if (Files.isDirectory(shared.resolve("models"))) {
                authorsDir = shared;
            } else {
                try {
                    authorsDir = AuthorsFiles.fetch();
                } catch (FetchException e) {
                    authorsProblem = e.summary();
                } catch (IOException e) {
                    authorsProblem = e.toString();
                }
            }
        }
        String problem = authorsProblem;
        Assumptions.assumeTrue(authorsDir != null, () -> "the authors' published files are not available: no ../shared beside "
                + "the repository, and fetching them from " + AuthorsFiles.REPOSITORY + " failed: " + problem);
        return authorsDir.resolve(relative);
    }

    /** @return the real MNIST, fetched on first use and loaded once per test JVM */
    static synchronized MnistData mnist() {
        if (mnist == null) {
            try {
                mnist = MnistLoader.load(MnistFetcher.builder(MnistVariant.MNIST).mirrors(List.of()).build().fetch());
            } catch (IOException e) {
                throw new UncheckedIOException("could not fetch the real MNIST for the tests", e);
            }
        }
        return mnist;
    }
}
