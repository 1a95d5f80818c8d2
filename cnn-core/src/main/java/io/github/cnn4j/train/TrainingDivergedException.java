package io.github.cnn4j.train;

/**
 * Training produced a loss that is NaN or infinite; the message names the epoch, step and value.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what diverged, and where */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
