package io.github.cnn4j.loss;

import io.github.cnn4j.tensor.Tensor;

/**
 * A loss over a batch of predictions {@code (N, K)} and class labels in {@code [0, K)}.
 */
public interface Loss {
    /** @return a short name */
    String name();

    /**
     * @param predictions model outputs (not modified)
     * @param labels      labels; sample {@code n} uses {@code labels[offset + n]} (not modified)
     * @param offset      index of the first label
     * @return the SUM of per-sample losses over the batch
     */
    double loss(Tensor predictions, int[] labels, int offset);

    /**
     * Writes {@code dL/dprediction} per sample (not averaged over the batch).
     *
     * @param predictions model outputs (not modified)
     * @param labels      labels (not modified)
     * @param offset      index of the first label
     * @param grad        output gradient (modified)
     */
    void gradient(Tensor predictions, int[] labels, int offset, Tensor grad);

    /**
     * The largest loss one sample can have, for the trainer's divergence guard: a loss that clips
     * (as {@link CrossEntropy} does) reaches it when the model is saturated and wrong.
     *
     * @return the per-sample ceiling, or infinity when the loss has none (the default)
     */
    default double maxSampleLoss() {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * The mean loss of a uniform guess (every class with probability {@code 1/classes}): a model
     * whose loss stays above it is worse than guessing. For the trainer's divergence guard.
     *
     * @param classes number of classes, at least 1
     * @return that loss, or NaN when not known (the default)
     */
    default double uniformGuessLoss(int classes) {
        return Double.NaN;
    }

    /** @return whether {@link #softmaxInputGradient} applies when the model ends in Softmax */
    default boolean fusesWithSoftmax() {
        return false;
    }

    /**
     * The gradient w.r.t. the softmax's input, given the softmax's output, skipping the softmax
     * Jacobian. Only for losses whose {@link #fusesWithSoftmax()} is true.
     *
     * @param probabilities softmax outputs (not modified)
     * @param labels        labels (not modified)
     * @param offset        index of the first label
     * @param grad          gradient w.r.t. the logits (modified)
     */
    default void softmaxInputGradient(Tensor probabilities, int[] labels, int offset, Tensor grad) {
        throw new UnsupportedOperationException(name() + " has no fused softmax gradient");
    }
}
