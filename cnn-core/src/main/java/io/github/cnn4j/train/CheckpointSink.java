package io.github.cnn4j.train;

import java.io.IOException;

/**
 * Stores the {@link TrainingState} snapshots that a {@link Trainer} takes at checkpoints (see
 * {@link Trainer.Builder#checkpoints}). cnn-io's {@code CheckpointFormat.sink} writes them to a file.
 *
 * <p>Called on the training thread, between optimizer steps, with a state that no longer shares
 * any array with the live model: an implementation may keep it or hand it to another thread.
 */
@FunctionalInterface
public interface CheckpointSink {
    /**
     * Stores a state. An implementation must either store it completely or leave the previously
     * stored state as it was.
     *
     * @param state the snapshot
     * @throws IOException when it cannot be stored; the trainer then stops with an
     *                     {@link java.io.UncheckedIOException} naming the epoch and position
     */
    void save(TrainingState state) throws IOException;
}
