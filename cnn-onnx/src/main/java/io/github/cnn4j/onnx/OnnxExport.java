package io.github.cnn4j.onnx;

import com.google.protobuf.UnsafeByteOperations;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import io.github.cnn4j.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph being written, as one {@link OnnxCodec} sees it while exporting one layer: the layer's
 * input value and shape, the prefix its node, value and initializer names start with
 * ({@code layer3}, {@code layer3.block.0} in a composite), and factories for nodes and initializers.
 */
public final class OnnxExport {
    /** State shared by every layer of one export. */
    static final class Graph {
        final OnnxCodecs codecs;
        final List<NodeProto.Builder> nodes = new ArrayList<>();
        final List<TensorProto> initializers = new ArrayList<>();

        Graph(OnnxCodecs codecs) {
            this.codecs = codecs;
        }
    }

    private final Graph graph;
    private final String prefix;
    private final String input;
    private final Shape inputShape;
    private final Layer layer;
    private final Map<String, Integer> opCounts = new HashMap<>();

    OnnxExport(Graph graph, String prefix, String input, Shape inputShape, Layer layer) {
        this.graph = graph;
        this.prefix = prefix;
        this.input = input;
        this.inputShape = inputShape;
        this.layer = layer;
    }

    /** @return the name of the layer's input value */
    public String input() {
        return input;
    }

    /** @return the shape of one input sample (the value is {@code [N, inputShape]}) */
    public Shape inputShape() {
        return inputShape;
    }

    /** @return the prefix of this layer's names, e.g. {@code layer3} */
    public String prefix() {
        return prefix;
    }

    /**
     * Adds a node with one output (named after the prefix and operator).
     *
     * @param opType the operator (default domain)
     * @param inputs its input values, in the operator's order
     * @return the node, to add attributes to
     */
    public OnnxNode node(String opType, String... inputs) {
        int k = opCounts.merge(opType, 1, Integer::sum);
        String name = prefix + "_" + opType + (k == 1 ? "" : Integer.toString(k));
        NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(opType).setDocString(layer.name())
                .addOutput(name + "_out");
        for (String in : inputs) {
            n.addInput(in);
        }
        graph.nodes.add(n);
        return new OnnxNode(n);
    }

    /**
     * Adds a parameter as a float32 initializer named {@code <prefix>.<suffix>}, of the parameter's shape.
     *
     * @param suffix e.g. {@code weight}
     * @param p      the parameter (its current values are copied)
     * @return the initializer's name
     */
    public String initializer(String suffix, Parameter p) {
        int[] d = p.shape().dims();
        long[] dims = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            dims[i] = d[i];
        }
        return initializer(suffix, p.value(), dims);
    }

    /**
     * Adds a float32 initializer named {@code <prefix>.<suffix>}.
     *
     * @param suffix e.g. {@code weight}
     * @param values the values, row-major (copied)
     * @param dims   its dimensions (their product is {@code values.length}); none for a scalar
     * @return the initializer's name
     */
    public String initializer(String suffix, float[] values, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(prefix + "." + suffix + ": " + values.length + " values for dims of " + n);
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return add(suffix, TensorProto.DataType.FLOAT_VALUE, bytes.array(), dims);
    }

    /**
     * Adds an int64 initializer named {@code <prefix>.<suffix>} (e.g. the target shape of a Reshape).
     *
     * @param suffix e.g. {@code shape}
     * @param values the values
     * @return the initializer's name, a vector of {@code values.length}
     */
    public String int64Initializer(String suffix, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return add(suffix, TensorProto.DataType.INT64_VALUE, bytes.array(), values.length);
    }

    private String add(String suffix, int type, byte[] data, long... dims) {
        String name = prefix + "." + suffix;
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type)
                // The array is fresh and never changed again, so the message may share it.
                .setRawData(UnsafeByteOperations.unsafeWrap(data));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.initializers.add(t.build());
        return name;
    }

    /**
     * Exports a child of a composite layer through its own codec.
     *
     * @param child      the built child
     * @param suffix     appended to this prefix after a dot, e.g. {@code block} or {@code 0}
     * @param in         the child's input value
     * @param inputShape the child's input shape
     * @return the child's output value, named {@code <prefix>.<suffix>_out}
     * @throws IllegalArgumentException when no codec exports the child's class
     */
    public String child(Layer child, String suffix, String in, Shape inputShape) {
        return export(graph, child, prefix + "." + suffix, in, inputShape);
    }

    /**
     * Exports one layer and names its output value {@code <prefix>_out}.
     *
     * @return the output value's name
     */
    static String export(Graph graph, Layer layer, String prefix, String in, Shape inputShape) {
        OnnxCodec<Layer> codec = graph.codecs.forLayer(layer);
        int first = graph.nodes.size();
        String out = codec.export(layer, new OnnxExport(graph, prefix, in, inputShape, layer));
        String wanted = prefix + "_out";
        if (out.equals(in) || graph.nodes.size() == first) {
            // The layer passes its input through (or added nothing): give it a node of its own.
            NodeProto.Builder n = NodeProto.newBuilder().setName(prefix + "_Identity").setOpType("Identity")
                    .setDocString(layer.name()).addInput(out).addOutput(wanted);
            graph.nodes.add(n);
            return wanted;
        }
        rename(graph.nodes.subList(first, graph.nodes.size()), out, wanted);
        return wanted;
    }

    /** Renames a value in the outputs and inputs of some nodes. */
    static void rename(List<NodeProto.Builder> nodes, String from, String to) {
        if (from.equals(to)) {
            return;
        }
        for (NodeProto.Builder n : nodes) {
            for (int i = 0; i < n.getOutputCount(); i++) {
                if (n.getOutput(i).equals(from)) {
                    n.setOutput(i, to);
                }
            }
            for (int i = 0; i < n.getInputCount(); i++) {
                if (n.getInput(i).equals(from)) {
                    n.setInput(i, to);
                }
            }
        }
    }
}
