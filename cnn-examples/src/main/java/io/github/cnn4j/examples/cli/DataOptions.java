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
        MnistData d;
        if (data == null) {
            d = MnistFetcher.builder(dataset).build().load();
        } else if (Files.isDirectory(data)) {
            d = MnistLoader.load(data);
        } else if (Files.isRegularFile(data)) {
            // A labelled Kaggle CSV: the last 1/7 (10,000 of 70,000 in the full set) is held out for testing.
            Dataset all = KaggleCsv.readLabeled(data);
            int testSize = Math.max(1, all.size() / 7);
            d = new MnistData(all.subset(0, all.size() - testSize), all.subset(all.size() - testSize, all.size()));
        } else {
            throw new IOException("--data " + data + ": no such file or directory");
        }
        if (limit != null) {
            d = new MnistData(d.train().subset(0, Math.min(limit, d.train().size())), d.test().subset(0, Math.min(limit, d.test().size())));
        }
        return d;
    }

    /** @return class names of the data set */
    public String[] classNames() {
        return dataset.classNames();
    }
}
