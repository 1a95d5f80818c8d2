package io.github.cnn4j.io.json;

import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.ReadableFiles;
import io.github.cnn4j.model.MemoryCost;
import io.github.cnn4j.model.MemoryBudget;
import io.github.cnn4j.model.Sequential;
import java.nio.file.Path;
import java.util.Locale;

/** The readers' memory check: a model read from a file must fit, with one inference workspace, before it is built. */
final class ModelMemory {
    private ModelMemory() {
    }

    /**
     * @param file    the model file
     * @param builder the model about to be built
     * @return its cost
     * @throws FormatException naming the file, the figure and the limit when it does not fit the {@link MemoryBudget}
     */
    static MemoryCost require(Path file, Sequential.Builder builder) throws FormatException {
        MemoryCost cost = builder.cost();
        ReadableFiles.requireMemory(file, cost.inferenceBytes(), describe(cost));
        return cost;
    }

    /** As {@link #require(Path, Sequential.Builder)} for a config in the paper's format. */
    static MemoryCost require(Path file, PaperConfig config) throws FormatException {
        MemoryCost cost = cost(file, config);
        ReadableFiles.requireMemory(file, cost.inferenceBytes(), describe(cost));
        return cost;
    }

    /** @return what the config's model costs (nothing is built) */
    static MemoryCost cost(Path file, PaperConfig config) throws FormatException {
        try {
            return Sequential.of(config.layers()).input(PaperConfig.INPUT).init(InitPreset.PAPER).cost();
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, "the architecture cannot be built: " + e.getMessage(), e);
        }
    }

    private static String describe(MemoryCost cost) {
        return String.format(Locale.ROOT, "%,d parameters with their gradients, and one workspace of %,d activations per sample",
                cost.parameterCount(), cost.activationValues());
    }
}
