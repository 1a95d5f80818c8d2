package io.github.cnn4j.onnx;

import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import java.util.List;
import java.util.Set;

/**
 * How one layer type is written to and read from ONNX: the nodes and initializers a layer exports
 * to, and the node patterns it imports from. Every built-in layer has one; a user-defined layer
 * exports and imports like a built-in one by implementing this interface and listing the
 * implementation in {@code META-INF/services/io.github.cnn4j.onnx.OnnxCodec} (found with
 * {@link java.util.ServiceLoader}, see {@link OnnxCodecs#standard()}).
 *
 * <pre>{@code
 * public final class GainOnnxCodec implements OnnxCodec<Gain> {
 *     public Class<Gain> layerClass() { return Gain.class; }
 *     public String export(Gain g, OnnxExport out) {
 *         int c = out.inputShape().dim(0);
 *         return out.node("Mul", out.input(), out.initializer("gain", g.gain().value(), c, 1, 1)).output();
 *     }
 *     public Set<String> importOps() { return Set.of("Mul"); }
 *     public OnnxLayer importNode(NodeProto node, OnnxImport in) throws OnnxImportException {
 *         float[] gain = in.floats(node, 1, "B");   // the constant operand, checked and decoded
 *         return OnnxLayer.of(new Gain(), List.of(gain), List.of());
 *     }
 * }
 * }</pre>
 *
 * <p>Export chooses a codec by the layer's exact class. Import walks the graph from its input in
 * topological order: a value consumed by one node is handed to the codec that claims the node's
 * operator ({@link #importOps()}; one codec per operator), which may also consume the nodes that
 * follow (e.g. {@code MatMul} then {@code Add}); a value consumed by several nodes (a fork) is
 * offered to every codec's {@link #importFork} until one recognizes the pattern (the residual
 * connection's codec does: two branches joined by {@code Add}).
 *
 * @param <L> the layer class
 */
public interface OnnxCodec<L extends Layer> {

    /** @return the exact class of the layers this codec exports */
    Class<L> layerClass();

    /**
     * Adds the layer's nodes and initializers to the graph being written.
     *
     * @param layer a built layer of {@link #layerClass()}
     * @param out   the graph being written: the layer's input value and shape, name prefix,
     *              node and initializer factories, and {@link OnnxExport#child} for composite layers
     * @return the name of the value holding the layer's output, of shape
     *         {@code [N, layer.outputShape(out.inputShape())]}
     */
    String export(L layer, OnnxExport out);

    /** @return the ONNX operators (default domain) whose nodes {@link #importNode} reads; empty: none */
    default Set<String> importOps() {
        return Set.of();
    }

    /**
     * Creates the layer of a node whose operator this codec claims; the node's first input is the
     * value the import has reached. The codec checks every attribute and input (unsupported ones:
     * {@link OnnxImport#unsupported}) and may consume following nodes with {@link OnnxImport#consume}.
     *
     * @param node the node
     * @param in   the import: attributes, constant tensors, the current shape, the graph
     * @return the configured layer and the values of its parameters and state
     * @throws OnnxImportException naming the node, its operator and what is supported
     */
    default OnnxLayer importNode(NodeProto node, OnnxImport in) throws OnnxImportException {
        throw in.unsupported(node, "no import for this operator");
    }

    /**
     * Recognizes a pattern that starts where a value is consumed by several nodes (or twice by one).
     *
     * @param value     the forked value (the import's current value)
     * @param consumers the nodes that consume it, in graph order
     * @param in        the import
     * @return the layer covering the whole pattern (the import continues from
     *         {@link OnnxLayer#output()}), or null when this codec does not recognize it
     * @throws OnnxImportException when the pattern is this codec's but cannot be imported
     */
    default OnnxLayer importFork(String value, List<NodeProto> consumers, OnnxImport in) throws OnnxImportException {
        return null;
    }
}
