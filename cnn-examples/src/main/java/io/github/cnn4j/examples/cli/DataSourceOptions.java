package io.github.cnn4j.examples.cli;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.mnist.KaggleCsv;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where labelled data comes from: {@code --data PATH} (a directory of MNIST IDX files or a labelled
 * Kaggle CSV file) or the fetched cache. Commands that only evaluate ({@code test}) use this; training
 * commands use {@link DataOptions}, which adds the choice of test set.
 */
public class DataSourceOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--data", paramLabel = "PATH",
            description = "A directory of MNIST IDX files (either naming, optionally .gz) or a labelled Kaggle CSV file. "
                    + "Default: the fetched cache (see 'cnn4j fetch').")
    Path data;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "MNIST",
            description = "Data set to fetch when --data is not given: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MnistVariant dataset;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples of each set (quick runs).")
    Integer limit;

    /**
     * The data to evaluate on: the test files of an IDX directory or of the fetched cache, or every row
     * of a CSV file.
     *
     * @return the evaluation set (the first {@code --limit} samples with that option)
     * @throws IOException when the data cannot be fetched or read
     */
    public Dataset loadEvaluationSet() throws IOException {
        checkLimit();
        Dataset d = data == null ? MnistLoader.loadTest(fetch(), readLimit()) : evaluationSet(data, "--data", readLimit());
        return limited(d);
    }

    /** @return the fetched cache directory of {@code --dataset} */
    Path fetch() throws IOException {
        return MnistFetcher.builder(dataset).build().fetch();
    }

    /**
     * @param path   an IDX directory (its test files are used) or a labelled CSV file (all rows)
     * @param option the option that named it, for messages
     * @param max    read at most this many samples of IDX files (a CSV is read whole)
     */
    static Dataset evaluationSet(Path path, String option, int max) throws IOException {
        if (Files.isDirectory(path)) {
            return MnistLoader.loadTest(path, max);
        }
        if (Files.isRegularFile(path)) {
            return KaggleCsv.readLabeled(path);
        }
        throw new NoSuchFileException(path.toString(), null, "no such file or directory (" + option + ")");
    }

    void checkLimit() {
        if (limit != null && limit < 1) {
            throw usage("--limit must be at least 1, got " + limit);
        }
    }

    /** @return how many samples of each IDX set to read: {@code --limit}, or all */
    int readLimit() {
        return limit == null ? Integer.MAX_VALUE : limit;
    }

    Dataset limited(Dataset d) {
        return limit == null ? d : d.subset(0, Math.min(limit, d.size()));
    }

    /** @return a usage error of the command this is mixed into */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(mixee.commandLine(), message);
    }

    /** @return class names of the data set */
    public String[] classNames() {
        return dataset.classNames();
    }

    /** @return a short description of where the data comes from, for reports */
    public String describe() {
        return data != null ? data.toString() : dataset + " (fetched cache)";
    }
}
