package io.github.cnn4j.io.json;

import io.github.cnn4j.model.Sequential;

/**
 * A trained model in the paper's terms: its config, how many epochs it was trained, and the model
 * with its weights.
 *
 * @param config        the config (architecture and training settings)
 * @param trainedEpochs epochs the weights were trained for, &gt;= 0
 * @param model         a model of exactly the config's architecture
 */
public record PaperModel(PaperConfig config, int trainedEpochs, Sequential model) {
    /** Checks that the model has the config's architecture. */
    public PaperModel {
        if (trainedEpochs < 0) {
            throw new IllegalArgumentException("trained epochs must be >= 0, got " + trainedEpochs);
        }
        PaperConfig actual = PaperConfig.of(model, config.training());
        if (!actual.equals(config)) {
            throw new IllegalArgumentException("the model's architecture " + actual + " differs from the config's " + config);
        }
    }

    /**
     * @param model         a model of the paper's architecture family
     * @param training      the settings to store with it
     * @param trainedEpochs epochs trained
     * @return the paper model describing it
     * @throws IllegalArgumentException when the paper's format cannot express the model
     */
    public static PaperModel of(Sequential model, TrainingSettings training, int trainedEpochs) {
        return new PaperModel(PaperConfig.of(model, training), trainedEpochs, model);
    }
}
