package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.List;

/**
 * One stage of a network: output shape, forward, backward, parameters.
 *
 * <p>Configured layers are unbound; {@link #build} returns a layer bound to an input shape with its
 * parameters created. Forward and backward read the layer (never modify it) and keep what they
 * need to remember in the {@link LayerContext}, so one built layer may run on several threads, each
 * with its own context.
 */
public interface Layer {

    /** @return a short description, e.g. {@code Conv(5x5, 6 filters)} */
    String name();

    /**
     * Infers the output shape.
     *
     * @param input shape of one input sample
     * @return shape of one output sample
     * @throws IllegalArgumentException naming what was expected when this layer cannot take the input
     */
    Shape outputShape(Shape input);

    /**
     * Binds this layer to an input shape and creates its parameters.
     *
     * @param input shape of one input sample (already checked by {@link #outputShape})
     * @param init  random source and default initializers
     * @return the built layer (layers without parameters may return themselves)
     */
    default Layer build(Shape input, InitContext init) {
        return this;
    }

    /** @return the trainable parameters, in a fixed order (empty when none or not built) */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Non-trainable values that belong to the model and are saved with it, such as batch
     * normalization's running statistics. Optimizers never see them (they are not in
     * {@link #parameters()}); training code sets them (see {@code BatchNormStatistics}).
     *
     * @return the state arrays, in a fixed order (empty when none or not built)
     */
    default List<Parameter> state() {
        return List.of();
    }

    /**
     * How many values {@link #build} creates for an input shape, without creating them: its
     * parameters and its {@link #state()} (each is a {@link Parameter}: a value and a gradient array).
     * Used to decide whether a model fits in memory before it is built.
     *
     * @param input shape of one input sample (already checked by {@link #outputShape})
     * @return the number of parameter and state values
     */
    default long parameterCount(Shape input) {
        return 0;
    }

    /**
     * An upper estimate of the scratch a {@link LayerContext} of this layer holds for batches of up to
     * {@code capacity} samples (pooling switches, padded copies, masks, kernel buffers), in 4-byte units.
     *
     * @param input    shape of one input sample (already checked by {@link #outputShape})
     * @param capacity the largest batch
     * @param training whether backward passes run too
     * @return floats (ints count as one each)
     */
    default long scratchValues(Shape input, int capacity, boolean training) {
        return 0;
    }

    /**
     * Computes the output for a batch.
     *
     * @param in  input, {@code in.batch()} samples (not modified)
     * @param out output (modified; its batch is already set to {@code in.batch()})
     * @param ctx this thread's context for this layer (scratch saved for backward)
     */
    void forward(Tensor in, Tensor out, LayerContext ctx);

    /**
     * Back-propagates a batch: accumulates parameter gradients into {@code ctx} and, when
     * {@code gradIn} is not null, writes the gradient of the loss w.r.t. the input.
     *
     * @param in      the forward input (not modified)
     * @param out     the forward output (not modified)
     * @param gradOut gradient w.r.t. the output (not modified)
     * @param gradIn  gradient w.r.t. the input (modified), or {@code null} for the first layer
     * @param ctx     the context used by the matching forward call
     */
    void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx);

    /**
     * Floating-point operations of one forward pass of one sample (a multiply-add counts as 2).
     *
     * @param input shape of one input sample
     * @return the FLOP count
     */
    default long flops(Shape input) {
        return 0;
    }

    /**
     * Floating-point operations of one backward pass of one sample (a multiply-add counts as 2).
     *
     * <p>The model: a layer without parameters costs its forward count when it computes the input
     * gradient, and nothing otherwise. Layers with parameters add their weight gradient, which costs
     * as much as their forward pass for {@code Conv} and {@code Dense} (the same multiply-adds with
     * other operands), plus one add per output for the bias; with the input gradient that is about
     * twice the forward count.
     *
     * @param input         shape of one input sample
     * @param inputGradient whether the gradient w.r.t. the input is computed (not for the first layer)
     * @return the FLOP count
     */
    default long backwardFlops(Shape input, boolean inputGradient) {
        return inputGradient ? flops(input) : 0;
    }
}
