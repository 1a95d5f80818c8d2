package io.github.cnn4j.io.json;

import io.github.cnn4j.model.Sequential;
import java.util.Map;

/**
 * A model read from a native cnn4j model file, with the free-form metadata saved alongside it.
 *
 * @param model    the model with its weights
 * @param metadata string pairs saved with the model (e.g. training settings, accuracy); may be empty
 */
public record NativeModel(Sequential model, Map<String, String> metadata) {
    /** Copies the metadata. */
    public NativeModel {
        metadata = Map.copyOf(metadata);
    }
}
