package io.github.cnn4j.examples.cli;

import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.MemoryBudget;
import io.github.cnn4j.model.MemoryCost;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The commands' checks before they start work: thread counts, what a run will cost in memory
 * (through {@link MemoryCost} and {@link MemoryBudget}, the one place that computes it), and whether
 * a model's outputs can be trusted.
 */
final class Limits {
    /** Bytes a checkpoint write needs per parameter value: a model copy, and the model and best model encoded, with buffer growth. */
    static final int CHECKPOINT_BYTES_PER_VALUE = 64;

    private Limits() {
    }

    /** @return the most threads an option accepts: four per available processor */
    static int maxThreads() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    /**
     * @throws CommandLine.ParameterException when {@code threads} is not between 1 and {@link #maxThreads()}
     */
    static void requireThreads(CommandSpec spec, String option, int threads) {
        if (threads < 1 || threads > maxThreads()) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + threads + ": expected 1 to " + maxThreads()
                    + " (four per processor; this machine has " + Runtime.getRuntime().availableProcessors() + ")");
        }
    }

    /**
     * Refuses a training run that would not fit in memory, before the model is built: the model with
     * its gradients, the optimizer's state, the best epoch's copy, one gradient buffer per chunk of a
     * batch, a training and an evaluation workspace per thread, and the checkpoint writes.
     *
     * @param config    the config file, named in the message
     * @param layers    the configured layers
     * @param input     the input shape
     * @param batchSize samples per step
     * @param threads   worker threads
     * @param optimizer SGD, MOMENTUM or ADAM
     * @throws io.github.cnn4j.model.MemoryBudgetException naming the file, the figure and the limit
     */
    static void requireTraining(Path config, List<? extends Layer> layers, Shape input, int batchSize, int threads, String optimizer) {
        MemoryCost cost = Sequential.of(layers).input(input).cost();
        long values = cost.parameterCount();
        int slots = switch (optimizer) {
            case "ADAM" -> 2;
            case "MOMENTUM" -> 1;
            default -> 0;
        };
        long chunks = (batchSize + Trainer.CHUNK - 1L) / Trainer.CHUNK;
        long model = cost.modelBytes() + 4 * values * (slots + 1 + chunks) + CHECKPOINT_BYTES_PER_VALUE * values;
        long spaces = threads * (cost.workspaceBytes(Math.min(batchSize, Trainer.CHUNK), true) + cost.workspaceBytes(8, false));
        MemoryBudget.current().require(String.valueOf(config), model + spaces, String.format(Locale.ROOT,
                "training %,d parameters (%s with gradients, optimizer state, best copy and checkpoints) on %d thread(s) (%s of workspaces)",
                values, MemoryBudget.format(model), threads, MemoryBudget.format(spaces)));
    }

    /**
     * Refuses a prediction over {@code samples} samples on {@code threads} threads that would not fit.
     *
     * @throws io.github.cnn4j.model.MemoryBudgetException naming the file, the figure and the limit
     */
    static void requireInference(Path modelFile, Sequential model, int samples, int threads) {
        MemoryCost cost = MemoryCost.of(model);
        long bytes = threads * cost.workspaceBytes(8, false) + 4L * samples * model.outputShape().size();
        MemoryBudget.current().require(String.valueOf(modelFile), bytes, String.format(Locale.ROOT,
                "%d prediction workspace(s) and the outputs of %,d samples", threads, samples));
    }

    /**
     * @param modelFile the model, named in the message
     * @param outputs   predictions, {@code k} values per sample
     * @param k         values per sample
     * @param what      what a sample is, e.g. {@code "test sample"} or {@code "CSV row"}
     * @throws IllegalStateException naming the first sample whose output is NaN or infinite
     */
    static void requireFinite(Path modelFile, float[] outputs, int k, String what) {
        for (int i = 0; i < outputs.length; i++) {
            if (!Float.isFinite(outputs[i])) {
                throw new IllegalStateException(modelFile + ": the output for " + what + " " + (i / k) + " is " + outputs[i]
                        + " (class " + (i % k) + "): the model's outputs are not finite numbers (weights too large?), so no result is reported");
            }
        }
    }

    /**
     * @param model a model
     * @return null when its last layer is a Softmax (its outputs are probabilities and a cross-entropy
     *         loss means something), else why no loss is reported
     */
    static String notProbabilities(Sequential model) {
        List<Layer> layers = model.layers();
        Layer last = layers.get(layers.size() - 1);
        return last instanceof Softmax ? null
                : "the last layer is " + last.name() + ", not Softmax: the outputs are not probabilities, so no cross-entropy loss";
    }
}
