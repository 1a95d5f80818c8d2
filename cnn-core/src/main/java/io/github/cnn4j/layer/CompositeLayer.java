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
}
