package io.github.cnn4j.onnx;

import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test data of the ONNX tests: the real MNIST (fetched once per machine into the default cache, with
 * no HTTP mirrors, as cnn-io's tests do) and the paper's reference files under {@code ../shared}.
 */
final class TestData {
    private static MnistData mnist;

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
     * @param relative path under {@code shared/reference/paper}
     * @return the file beside the repository
     */
    static Path paper(String relative) {
        return repoRoot().resolve("../shared/reference/paper").resolve(relative).normalize();
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
