package io.github.cnn4j.io.checkpoint;

import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.train.TrainingState;
import java.util.Map;
import java.util.Objects;

/**
 * A checkpoint read back from a file: the training state, the model it belongs to and the metadata
 * stored with it.
 *
 * @param state    the training state, to pass to {@link io.github.cnn4j.train.Trainer#fit(io.github.cnn4j.data.Dataset, TrainingState)}
 * @param model    a model of the checkpointed architecture holding the state's parameter values
 * @param metadata free-form string pairs the writer stored (e.g. the command-line settings of the run)
 */
public record Checkpoint(TrainingState state, Sequential model, Map<String, String> metadata) {
    /** Copies the metadata. */
    public Checkpoint {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(model, "model");
        metadata = Map.copyOf(metadata);
    }

    /** @return a model holding the best epoch's parameters, or null when the run does not keep the best epoch or none finished */
    public Sequential bestModel() {
        if (state.best() == null) {
            return null;
        }
        Sequential m = model.copy();
        for (int i = 0; i < m.parameters().size(); i++) {
            m.parameters().get(i).set(state.best()[i]);
        }
        return m;
    }
}
