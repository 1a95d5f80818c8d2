package io.github.cnn4j.examples.cli;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.mnist.KaggleCsv;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where data comes from: {@code --data PATH} (IDX directory or Kaggle CSV) or the fetched cache. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "PATH",
            description = "A directory of MNIST IDX files (either naming, optionally .gz) or a Kaggle CSV file. Default: the fetched cache.")
    Path data;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "MNIST",
            description = "Data set to fetch when --data is not given: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MnistVariant dataset;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training and N test samples (quick runs).")
    Integer limit;

    /**
     * @return the training and test sets
     * @throws IOException when the data cannot be fetched or read
     */
    public MnistData load() throws IOException {
        int n = limit();
        Path dir = idxDirectory();
        if (dir != null) {
            return new MnistData(MnistLoader.loadTrain(dir, n), MnistLoader.loadTest(dir, n));
        }
        MnistData d = csv();
        return new MnistData(d.train().subset(0, Math.min(n, d.train().size())), d.test().subset(0, Math.min(n, d.test().size())));
    }

    /**
     * Reads only the test set (of IDX data, only the test files, and with {@code --limit N} only their first N samples).
     *
     * @return the test set
     * @throws IOException when the data cannot be fetched or read
     */
    public Dataset loadTest() throws IOException {
        int n = limit();
        Path dir = idxDirectory();
        if (dir != null) {
            return MnistLoader.loadTest(dir, n);
        }
        Dataset test = csv().test();
        return test.subset(0, Math.min(n, test.size()));
    }

    /**
     * @return the {@code --limit} (all samples when not given)
     * @throws IllegalArgumentException when it is below 1
     */
    int limit() {
        if (limit == null) {
            return Integer.MAX_VALUE;
        }
        if (limit < 1) {
            throw new IllegalArgumentException("--limit " + limit + ": expected the number of training and test samples to use, at least 1");
        }
        return limit;
    }

    /** @return the directory of IDX files to read (fetched when --data is not given), or null for a CSV file */
    private Path idxDirectory() throws IOException {
        if (data == null) {
            return MnistFetcher.builder(dataset).build().fetch();
        }
        if (Files.isDirectory(data)) {
            return data;
        }
        if (!Files.exists(data)) {
            throw new IOException("--data " + data + ": no such file or directory");
        }
        return null;
    }

    /** A labelled Kaggle CSV: the last 1/7 (10,000 of 70,000 in the full set) is held out for testing. */
    private MnistData csv() throws IOException {
        Dataset all = KaggleCsv.readLabeled(data);
        int testSize = Math.max(1, all.size() / 7);
        return new MnistData(all.subset(0, all.size() - testSize), all.subset(all.size() - testSize, all.size()));
    }

    /** @return class names of the data set */
    public String[] classNames() {
        return dataset.classNames();
    }
}
