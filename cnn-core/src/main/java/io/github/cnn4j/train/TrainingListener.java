package io.github.cnn4j.train;

/**
 * Observes a training run. All methods are called on the thread that called
 * {@link Trainer#fit}, and default to doing nothing.
 */
public interface TrainingListener {
    /**
     * @param epochs          epochs planned
     * @param samplesPerEpoch training samples per epoch
     */
    default void onStart(int epochs, int samplesPerEpoch) {
    }

    /**
     * When {@link Trainer#fit(io.github.cnn4j.data.Dataset, TrainingState)} continues a run from a
     * checkpoint: called right after {@link #onStart}, before any step. The state's history and block
     * history are what was reported before the checkpoint; a listener that writes logs restores them
     * from here, and then receives the events from the checkpoint onwards.
     *
     * @param state the state training continues from
     */
    default void onResume(TrainingState state) {
    }

    /**
     * After every optimizer step.
     *
     * @param epoch           the current epoch, from 1
     * @param samplesInEpoch  samples processed so far in this epoch
     * @param meanLoss        mean loss of the step's batch
     */
    default void onStep(int epoch, int samplesInEpoch, double meanLoss) {
    }

    /** @param block a completed block of samples */
    default void onBlock(BlockStats block) {
    }

    /** @param epoch a completed, evaluated epoch */
    default void onEpoch(EpochStats epoch) {
    }

    /**
     * Asked after every epoch, once it is reported to all listeners and checkpointed: {@code true}
     * ends the training there, as early stopping does ({@link EarlyStopping}). The trainer then
     * restores the best epoch when keeping it and calls {@link #onEnd}.
     *
     * @return whether this listener asks training to stop
     */
    default boolean stopRequested() {
        return false;
    }

    /** @param result the finished run */
    default void onEnd(TrainingResult result) {
    }
}
