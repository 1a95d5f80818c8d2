package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import java.util.List;

/**
 * A layer made of other layers (a nested block, a residual connection). Its {@link #parameters()}
 * and {@link #state()} are its children's, child after child, in {@link #children()} order, so
 * every parameter of a model has one stable position however deep it is nested; its forward and
 * backward passes run the children in the contexts of {@link LayerContext#children(List)}.
 */
public interface CompositeLayer extends Layer {

    /** @return the children, in the order their parameters are listed */
    List<Layer> children();

    /**
     * @param input shape of one input sample of this layer (one it accepts)
     * @return the input shape of each child, in {@link #children()} order
     */
    List<Shape> childInputs(Shape input);

    /** The children's parameters and state, each for its own input shape. */
    @Override
    default long parameterCount(Shape input) {
        List<Layer> children = children();
        List<Shape> inputs = childInputs(input);
        long n = 0;
        for (int i = 0; i < children.size(); i++) {
            n += children.get(i).parameterCount(inputs.get(i));
        }
        return n;
    }

    /**
     * The children's scratch and the activations a composite keeps between its children: each child's
     * output for {@code capacity} samples, and its gradient when training.
     */
    @Override
    default long scratchValues(Shape input, int capacity, boolean training) {
        List<Layer> children = children();
        List<Shape> inputs = childInputs(input);
        long n = 0;
        for (int i = 0; i < children.size(); i++) {
            Layer child = children.get(i);
            n += child.scratchValues(inputs.get(i), capacity, training);
            n += child.outputShape(inputs.get(i)).size() * (long) capacity * (training ? 2 : 1);
        }
        return n;
    }
}
