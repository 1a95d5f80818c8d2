package io.github.cnn4j.onnx;

import io.github.cnn4j.onnx.internal.proto.OnnxProtos.AttributeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node's attributes, checked by name and type: created by {@link OnnxImport#attributes} with the
 * names a codec understands, so that any other attribute is an error naming it, the node and what is
 * supported.
 */
public final class OnnxAttributes {
    private final NodeProto node;
    private final Map<String, AttributeProto> byName = new LinkedHashMap<>();

    OnnxAttributes(NodeProto node, Set<String> allowed) throws OnnxImportException {
        this.node = node;
        for (AttributeProto a : node.getAttributeList()) {
            if (!allowed.contains(a.getName())) {
                throw OnnxImport.unsupportedNode(node, "attribute '" + OnnxImport.clip(a.getName()) + "' is not supported"
                        + (allowed.isEmpty() ? " (this operator takes none)" : "; supported: " + new TreeSet<>(allowed)));
            }
            if (a.hasRefAttrName() || a.hasG() || a.getGraphsCount() > 0 || a.getTensorsCount() > 0) {
                throw OnnxImport.unsupportedNode(node, "attribute '" + a.getName()
                        + "' is a reference, graph or tensor list, which cnn4j does not import");
            }
            if (byName.put(a.getName(), a) != null) {
                throw OnnxImport.unsupportedNode(node, "attribute '" + a.getName() + "' appears twice");
            }
        }
    }

    /** @return whether the attribute is set */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /**
     * @param name the attribute
     * @param def  its value when absent
     * @return the INT attribute's value
     * @throws OnnxImportException when it has another type
     */
    public long integer(String name, long def) throws OnnxImportException {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return def;
        }
        check(a, AttributeProto.AttributeType.INT, a.hasI());
        return a.getI();
    }

    /**
     * @param name the attribute
     * @param def  its value when absent
     * @return the FLOAT attribute's value
     * @throws OnnxImportException when it has another type
     */
    public float real(String name, float def) throws OnnxImportException {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return def;
        }
        check(a, AttributeProto.AttributeType.FLOAT, a.hasF());
        return a.getF();
    }

    /**
     * @param name the attribute
     * @param def  its value when absent
     * @return the STRING attribute's value (UTF-8)
     * @throws OnnxImportException when it has another type
     */
    public String string(String name, String def) throws OnnxImportException {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return def;
        }
        check(a, AttributeProto.AttributeType.STRING, a.hasS());
        return a.getS().toString(StandardCharsets.UTF_8);
    }

    /**
     * @param name the attribute
     * @return the INTS attribute's values, or null when absent
     * @throws OnnxImportException when it has another type
     */
    public long[] ints(String name) throws OnnxImportException {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return null;
        }
        check(a, AttributeProto.AttributeType.INTS, true);
        List<Long> v = a.getIntsList();
        long[] r = new long[v.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = v.get(i);
        }
        return r;
    }

    private void check(AttributeProto a, AttributeProto.AttributeType type, boolean present) throws OnnxImportException {
        boolean typed = a.hasType() && a.getType() != AttributeProto.AttributeType.UNDEFINED;
        if (typed ? a.getType() != type : !present) {
            throw OnnxImport.unsupportedNode(node, "attribute '" + a.getName() + "' should be " + type + ", found "
                    + (typed ? a.getType() : "no value"));
        }
    }
}
