package io.github.cnn4j.model;

import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.tensor.Shape;
import java.util.List;

/**
 * What a model costs in memory, computed from its configured layers and the shapes
 * {@link Sequential.Builder#shapes()} infers, before anything is allocated: the parameters (each a
 * value and a gradient array), and per {@link Workspace} the activations between layers, their
 * gradients when training, and each layer's scratch ({@link Layer#scratchValues}).
 *
 * <pre>{@code
 * MemoryCost cost = Sequential.of(layers).input(1, 28, 28).cost();
 * MemoryBudget.current().require("model.json", cost.modelBytes() + threads * cost.workspaceBytes(16, true), "...");
 * }</pre>
 *
 * Figures are bytes; they count the arrays (4 bytes a value) and not the few objects around them.
 */
public final class MemoryCost {
    private final List<Layer> layers;
    private final List<Shape> shapes;

    MemoryCost(List<? extends Layer> layers, List<Shape> shapes) {
        this.layers = List.copyOf(layers);
        this.shapes = List.copyOf(shapes);
    }

    /**
     * @param model a built model
     * @return its cost
     */
    public static MemoryCost of(Sequential model) {
        return new MemoryCost(model.layers(), model.shapes());
    }

    /** @return parameter and state values of all layers */
    public long parameterCount() {
        long n = 0;
        for (int i = 0; i < layers.size(); i++) {
            n += layers.get(i).parameterCount(shapes.get(i));
        }
        return n;
    }

    /** @return bytes of the built model: every parameter's value and gradient array */
    public long modelBytes() {
        return 8 * parameterCount();
    }

    /** @return values of one sample's activations: the input and every layer's output */
    public long activationValues() {
        long n = 0;
        for (Shape s : shapes) {
            n += s.size();
        }
        return n;
    }

    /**
     * @param capacity the largest batch the workspace holds
     * @param training whether it also runs backward passes (gradients between layers, training scratch)
     * @return bytes of one {@link Workspace}
     */
    public long workspaceBytes(int capacity, boolean training) {
        long values = activationValues() * capacity * (training ? 2 : 1);
        for (int i = 0; i < layers.size(); i++) {
            values += layers.get(i).scratchValues(shapes.get(i), capacity, training);
        }
        return 4 * values + 12L * capacity;
    }

    /**
     * @return bytes to predict with one thread: the model and one small inference workspace (what any
     *         use of a loaded model needs at least)
     */
    public long inferenceBytes() {
        return modelBytes() + workspaceBytes(Sequential.PREDICT_MICRO, false);
    }
}
