package io.github.cnn4j.optim;

import io.github.cnn4j.layer.Parameter;
import java.util.List;

/**
 * Updates parameters from their accumulated gradients, then sets the gradients to zero.
 *
 * <p>Gradients are sums over a batch; the optimizer divides by the batch size, so a step uses the
 * batch-mean gradient {@code g = grad / batchSize}.
 */
public interface Optimizer {
    /**
     * @param parameters the model's parameters, always in the same order (values and gradients modified)
     * @param batchSize  number of samples whose gradients were summed
     */
    void step(List<Parameter> parameters, int batchSize);

    /** @return the current learning rate */
    float learningRate();

    /** @param lr a new learning rate, for schedules */
    void learningRate(float lr);

    /** @return a short description, e.g. {@code sgd(lr=0.01)} */
    String name();

    /**
     * Exports everything this optimizer remembers between steps, for checkpoints. The built-in
     * optimizers return deep copies.
     *
     * @return the state
     * @throws UnsupportedOperationException when the optimizer cannot export its state (the default)
     */
    default OptimizerState exportState() {
        throw new UnsupportedOperationException(name() + " cannot export its state, so training with it cannot be checkpointed");
    }

    /**
     * Replaces this optimizer's state with an exported one (copied), so that it continues exactly
     * where the exporting optimizer was.
     *
     * @param state a state exported by an optimizer of the same type and settings
     * @throws IllegalArgumentException when the state is of another type or other settings
     * @throws UnsupportedOperationException when the optimizer cannot import a state (the default)
     */
    default void importState(OptimizerState state) {
        throw new UnsupportedOperationException(name() + " cannot import a state");
    }
}
