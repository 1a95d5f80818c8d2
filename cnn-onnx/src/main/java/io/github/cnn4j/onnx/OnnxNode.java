package io.github.cnn4j.onnx;

import io.github.cnn4j.onnx.internal.proto.OnnxProtos.AttributeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;

/**
 * A node being exported, made by {@link OnnxExport#node}: attributes are added with the typed
 * methods; its output value is {@link #output()}.
 */
public final class OnnxNode {
    private final NodeProto.Builder node;

    OnnxNode(NodeProto.Builder node) {
        this.node = node;
    }

    /** @return the name of the node's (single) output value */
    public String output() {
        return node.getOutput(0);
    }

    /**
     * @param name   attribute name
     * @param values INTS values
     * @return this
     */
    public OnnxNode ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        node.addAttribute(a);
        return this;
    }

    /**
     * @param name  attribute name
     * @param value INT value (written even when 0)
     * @return this
     */
    public OnnxNode integer(String name, long value) {
        node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value));
        return this;
    }

    /**
     * @param name  attribute name
     * @param value FLOAT value
     * @return this
     */
    public OnnxNode real(String name, float value) {
        node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value));
        return this;
    }
}
