package io.github.cnn4j.examples.cli;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.mnist.KaggleCsv;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.io.mnist.MnistLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Training and test data of the training commands: {@code --data} as in {@link DataSourceOptions},
 * and the test set from the same IDX directory or cache, from {@code --test-data PATH}, or held out
 * from the end of the training data with {@code --holdout FRACTION}. A single labelled CSV file has
 * no test set of its own: one of the two options is then required, and nothing is split silently.
 */
public final class DataOptions extends DataSourceOptions {
    @Option(names = "--test-data", paramLabel = "PATH",
            description = "The test set: a directory of IDX files (its t10k files) or a labelled CSV file (all rows). "
                    + "Default: the t10k files beside the training data.")
    Path testData;

    @Option(names = "--holdout", paramLabel = "FRACTION",
            description = "Hold out the last FRACTION (0 < FRACTION < 1) of the training data as the test set, "
                    + "e.g. 0.1 with a single CSV file.")
    Double holdout;

    /**
     * @return the training and test sets; says on standard output what was held out, if anything
     * @throws IOException when the data cannot be fetched or read
     */
    public MnistData load() throws IOException {
        checkLimit();
        if (testData != null && holdout != null) {
            throw usage("--test-data and --holdout both choose the test set: give only one");
        }
        if (holdout != null && !(holdout > 0 && holdout < 1)) {
            throw usage("--holdout is a fraction of the training data between 0 and 1 (exclusive), got " + holdout);
        }
        if (data != null && !Files.exists(data)) {
            throw new NoSuchFileException(data.toString(), null, "no such file or directory (--data)");
        }
        boolean ownTest = testData == null && holdout == null;
        if (data != null && Files.isRegularFile(data) && ownTest) {
            throw usage("--data " + data + " is a single labelled file with no test set: add --test-data PATH, "
                    + "or --holdout FRACTION (e.g. 0.1) to test on the end of the file");
        }
        Path dir = data == null ? fetch() : Files.isDirectory(data) ? data : null;
        // IDX files are read only up to --limit (a CSV is read whole: its rows are not indexed)
        Dataset train = dir != null ? MnistLoader.loadTrain(dir, readLimit()) : KaggleCsv.readLabeled(data);
        Dataset test;
        if (testData != null) {
            test = evaluationSet(testData, "--test-data", readLimit());
        } else if (holdout != null) {
            int n = train.size();
            int k = (int) Math.round(n * holdout);
            if (k < 1 || k >= n) {
                throw usage(String.format(Locale.ROOT, "--holdout %s of %d samples leaves %d for testing and %d for training: "
                        + "both need at least one", holdout, n, k, n - k));
            }
            test = train.subset(n - k, n);
            train = train.subset(0, n - k);
            PrintWriter out = mixee.commandLine().getOut();
            out.printf(Locale.ROOT, "Held out for testing: the last %d of the %d samples of %s (samples %d-%d, %.4g%%); training on the first %d.%n",
                    k, n, describe(), n - k + 1, n, 100.0 * k / n, n - k);
            out.flush();
        } else {
            test = MnistLoader.loadTest(dir, readLimit());
        }
        return new MnistData(limited(train), limited(test));
    }
}
