package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn4j fetch}: downloads and verifies a data set into the cache. */
@Command(name = "fetch", mixinStandardHelpOptions = true, description = "Fetch and verify MNIST or Fashion-MNIST into the data cache (or into --data DIR).")
public final class FetchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "MNIST", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MnistVariant dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory to fetch into; other commands read it with the same --data DIR "
                    + "(default: the cache, $CNN4J_DATA/NAME or ~/.cache/cnn4j/NAME).")
    Path dir;

    /** The option's former name, still accepted. */
    @Option(names = "--dir", paramLabel = "DIR", hidden = true)
    void setDir(Path d) {
        dir = d;
    }

    @Override
    public Integer call() throws IOException {
        MnistFetcher.Builder b = MnistFetcher.builder(dataset);
        if (dir != null) {
            b.cacheDir(dir);
        }
        Path where = b.build().fetch();
        spec.commandLine().getOut().println(dataset.id() + " is ready in " + where);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
