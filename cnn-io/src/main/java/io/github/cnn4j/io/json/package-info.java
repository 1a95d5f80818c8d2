/**
 * JSON model and config files.
 *
 * <ul>
 *   <li>{@link io.github.cnn4j.io.json.PaperFormat}: the paper's config ({@link io.github.cnn4j.io.json.PaperConfig},
 *       {@link io.github.cnn4j.io.json.TrainingSettings}) and trained-model ({@link io.github.cnn4j.io.json.PaperModel})
 *       formats, read and written; the six published models load unchanged.</li>
 *   <li>{@link io.github.cnn4j.io.json.NativeModelFormat}: cnn4j's versioned format for any
 *       {@link io.github.cnn4j.model.Sequential}, with exact weights.</li>
 *   <li>{@link io.github.cnn4j.io.json.ModelFiles}: tells the two apart and loads either.</li>
 * </ul>
 *
 * <p>Readers stream with Jackson's {@code JsonParser} under {@link io.github.cnn4j.io.json.JsonLimits}
 * (file size, weight count, nesting depth, layer count), check everything before building the model,
 * and report every problem as an {@link io.github.cnn4j.io.FormatException} naming the file, the field,
 * what was expected and what was found. Writers are atomic ({@link io.github.cnn4j.io.AtomicFiles}).
 */
package io.github.cnn4j.io.json;
