package io.github.cnn4j.onnx;

import io.github.cnn4j.layer.Layer;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link OnnxCodec} imports: a configured layer and the values its built form takes, in
 * {@link Layer#parameters()} and {@link Layer#state()} order (for a composite layer: its
 * children's, child after child), and the ONNX value holding its output.
 *
 * @param layer      the configured (unbuilt) layer
 * @param parameters the parameter values, in {@code parameters()} order
 * @param state      the state values (e.g. running statistics), in {@code state()} order
 * @param output     the name of the value the layer's output is, or null to let the import use the
 *                   last consumed node's first output
 */
public record OnnxLayer(Layer layer, List<float[]> parameters, List<float[]> state, String output) {

    /** Checks the fields and copies the lists. */
    public OnnxLayer {
        Objects.requireNonNull(layer, "layer");
        parameters = List.copyOf(parameters);
        state = List.copyOf(state);
    }

    /**
     * @param layer      the configured layer
     * @param parameters its parameter values
     * @param state      its state values
     * @return the import, its output being the last consumed node's
     */
    public static OnnxLayer of(Layer layer, List<float[]> parameters, List<float[]> state) {
        return new OnnxLayer(layer, parameters, state, null);
    }

    /**
     * @param layer a configured layer without parameters or state
     * @return the import, its output being the last consumed node's
     */
    public static OnnxLayer of(Layer layer) {
        return new OnnxLayer(layer, List.of(), List.of(), null);
    }

    /**
     * @param name the value holding this layer's output
     * @return this import with that output
     */
    public OnnxLayer withOutput(String name) {
        return new OnnxLayer(layer, parameters, state, name);
    }
}
