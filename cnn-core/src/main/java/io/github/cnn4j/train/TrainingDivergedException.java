package io.github.cnn4j.train;

/**
 * Training diverged, as the {@link DivergenceGuard} decides: a NaN or infinite loss, activation or
 * weight, a weight or loss past its bound, or a loss stuck at the clipping bound or worse than
 * guessing. The message is one line naming the epoch and step and, when it could be found, the first
 * layer (or parameter) holding a non-finite or out-of-bound value and that value, e.g. {@code loss is
 * NaN at epoch 1, step 5 (...); first non-finite value: output of layer 0 Conv(3x3, 8 filters) for
 * training sample 17 (...) is Infinity}; for the loss-level checks the value is the mean loss.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int step;
    private final int layer;
    private final double value;

    /** @param message what diverged, and where */
    public TrainingDivergedException(String message) {
        this(message, 0, -1, -1, Double.NaN);
    }

    /**
     * @param message what diverged, and where
     * @param epoch   the epoch, from 1 (0 when unknown)
     * @param step    the step within the epoch, from 0 (-1 when unknown)
     * @param layer   index of the first layer with a non-finite output or parameter, or with a weight past the
     *                bound (-1 when unknown or none, and for the loss-level checks)
     * @param value   the non-finite or out-of-bound value found (the loss when no layer was found)
     */
    public TrainingDivergedException(String message, int epoch, int step, int layer, double value) {
        super(message);
        this.epoch = epoch;
        this.step = step;
        this.layer = layer;
        this.value = value;
    }

    /** @return the epoch, from 1 (0 when unknown) */
    public int epoch() {
        return epoch;
    }

    /** @return the step within the epoch, from 0 (-1 when unknown) */
    public int step() {
        return step;
    }

    /** @return index of the first layer found with a non-finite output or parameter, or a weight past the bound, or -1 */
    public int layer() {
        return layer;
    }

    /** @return the non-finite or out-of-bound value found, or the loss */
    public double value() {
        return value;
    }
}
