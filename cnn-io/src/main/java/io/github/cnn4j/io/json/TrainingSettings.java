package io.github.cnn4j.io.json;

import io.github.cnn4j.io.FileNames;

/**
 * The training part of the paper's config: what a trainer needs besides the architecture.
 *
 * @param seed           seeds weight initialization and shuffling
 * @param learningRate   static SGD learning rate, finite and &gt; 0
 * @param epochs         maximum epochs, &gt;= 1
 * @param outputFilename stem of the output files (e.g. {@code CNN_F}): a plain file name, see {@link FileNames}
 */
public record TrainingSettings(long seed, double learningRate, int epochs, String outputFilename) {
    /** Validates the fields. */
    public TrainingSettings {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + learningRate);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        FileNames.requireName(outputFilename, "output_filename");
    }
}
