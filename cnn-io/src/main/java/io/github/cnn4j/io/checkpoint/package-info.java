/**
 * Training checkpoints: {@link io.github.cnn4j.io.checkpoint.CheckpointFormat} writes and reads the
 * {@link io.github.cnn4j.train.TrainingState} snapshots that a {@link io.github.cnn4j.train.Trainer}
 * takes, so that a killed run continues exactly where it was.
 *
 * <p>A checkpoint is one file, replaced atomically ({@link io.github.cnn4j.io.AtomicFiles}): the
 * previous checkpoint stays intact until the new one is complete and durable. The model and the best
 * epoch's model are stored in cnn4j's native model format
 * ({@link io.github.cnn4j.io.json.NativeModelFormat}), so they get its architecture and weight checks;
 * the rest is a small binary section; a SHA-256 over the whole file detects any damage before anything
 * is parsed. See {@link io.github.cnn4j.io.checkpoint.CheckpointFormat} for the layout.
 */
package io.github.cnn4j.io.checkpoint;
