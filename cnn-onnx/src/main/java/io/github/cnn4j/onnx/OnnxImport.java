package io.github.cnn4j.onnx;

import com.google.protobuf.ByteString;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import io.github.cnn4j.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX graph being imported, as one {@link OnnxCodec} sees it: the node's attributes and
 * constant inputs (initializers and {@code Constant} nodes, checked and decoded), the value and
 * sample shape the import has reached, the graph's consumers of a value, and (for composite
 * layers) the import of a branch.
 *
 * <p>The graph is checked before any tensor is decoded: one data input, one output, every node's
 * inputs defined, no value defined twice, no cycle (the nodes are sorted topologically), every
 * initializer's data of the size its dims say, none stored outside the file.
 */
public final class OnnxImport {
    /** Longest name quoted in a message. */
    private static final int CLIP = 80;

    /** Most elements one tensor may declare (its data must be in the file too). */
    static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Most nodes a graph may have. */
    static final int MAX_NODES = 1_000_000;

    private final OnnxCodecs codecs;
    private final GraphProto graph;
    private final int opset;
    private final Map<String, TensorProto> constants = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<NodeProto, Integer> order = new IdentityHashMap<>();
    private final List<NodeProto> sorted = new ArrayList<>();
    private final Set<NodeProto> consumed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final String input;
    private final String output;
    private long batch;
    private String value;
    private Shape shape;
    private NodeProto last;

    /** The layers of a chain of nodes, and where it ended. */
    record Chain(List<OnnxLayer> layers, String end, Shape shape) {
    }

    OnnxImport(GraphProto graph, int opset, OnnxCodecs codecs) throws OnnxImportException {
        this.codecs = codecs;
        this.graph = graph;
        this.opset = opset;
        if (graph.getSparseInitializerCount() > 0) {
            throw new OnnxImportException("the graph has sparse initializers, which cnn4j does not import");
        }
        if (graph.getNodeCount() > MAX_NODES) {
            throw new OnnxImportException("the graph has " + graph.getNodeCount() + " nodes, more than the " + MAX_NODES + " allowed");
        }
        Set<String> defined = new LinkedHashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            String name = t.getName();
            if (name.isEmpty()) {
                throw new OnnxImportException("an initializer has no name");
            }
            checkTensor(t, "initializer '" + clip(name) + "'");
            if (constants.put(name, t) != null) {
                throw new OnnxImportException("initializer '" + clip(name) + "' is defined twice");
            }
            defined.add(name);
        }
        List<String> inputs = new ArrayList<>();
        for (var vi : graph.getInputList()) {
            if (!constants.containsKey(vi.getName())) {
                inputs.add(vi.getName());
                defined.add(vi.getName());
            }
        }
        if (inputs.size() != 1) {
            throw new OnnxImportException("the graph has " + inputs.size() + " data inputs " + clip(inputs.toString())
                    + " (inputs without an initializer); cnn4j models take exactly one");
        }
        if (graph.getOutputCount() != 1) {
            throw new OnnxImportException("the graph has " + graph.getOutputCount() + " outputs; cnn4j models give exactly one");
        }
        this.input = inputs.get(0);
        this.output = graph.getOutput(0).getName();

        Map<String, NodeProto> producers = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw unsupportedNode(n, "operator domain '" + clip(n.getDomain()) + "' is not supported; cnn4j imports the "
                        + "default ONNX domain only");
            }
            for (String o : n.getOutputList()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (defined.contains(o) || producers.put(o, n) != null) {
                    throw unsupportedNode(n, "defines value '" + clip(o) + "', which is already defined");
                }
            }
        }
        for (NodeProto n : graph.getNodeList()) {
            Set<String> seen = new LinkedHashSet<>();
            for (String in : n.getInputList()) {
                if (in.isEmpty() || !seen.add(in)) {
                    continue;
                }
                if (!defined.contains(in) && !producers.containsKey(in)) {
                    throw unsupportedNode(n, "reads '" + clip(in) + "', which no node, initializer or graph input defines");
                }
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        if (!defined.contains(output) && !producers.containsKey(output)) {
            throw new OnnxImportException("the graph output '" + clip(output) + "' is not defined by any node");
        }
        sort(producers);
        for (NodeProto n : sorted) {
            if (n.getOpType().equals("Constant")) {
                OnnxAttributes a = attributes(n, "value");
                if (!a.has("value") || n.getOutputCount() != 1) {
                    throw unsupportedNode(n, "cnn4j imports Constant nodes with a 'value' tensor and one output");
                }
                TensorProto t = n.getAttributeList().get(0).getT();
                checkTensor(t, "Constant node " + describe(n));
                constants.put(n.getOutput(0), t);
                consumed.add(n);
            }
        }
    }

    /** Kahn's algorithm over the node dependencies; the nodes left over lie on a cycle. */
    private void sort(Map<String, NodeProto> producers) throws OnnxImportException {
        Map<NodeProto, Integer> pending = new IdentityHashMap<>();
        Deque<NodeProto> ready = new ArrayDeque<>();
        for (NodeProto n : graph.getNodeList()) {
            Set<NodeProto> deps = Collections.newSetFromMap(new IdentityHashMap<>());
            for (String in : n.getInputList()) {
                NodeProto p = producers.get(in);
                if (p != null) {
                    deps.add(p);
                }
            }
            pending.put(n, deps.size());
            if (deps.isEmpty()) {
                ready.add(n);
            }
        }
        while (!ready.isEmpty()) {
            NodeProto n = ready.poll();
            order.put(n, sorted.size());
            sorted.add(n);
            Set<NodeProto> next = Collections.newSetFromMap(new IdentityHashMap<>());
            for (String o : n.getOutputList()) {
                next.addAll(consumers.getOrDefault(o, List.of()));
            }
            for (NodeProto c : next) {
                if (pending.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (sorted.size() < graph.getNodeCount()) {
            List<String> cycle = new ArrayList<>();
            for (NodeProto n : graph.getNodeList()) {
                if (!order.containsKey(n) && cycle.size() < 5) {
                    cycle.add(describe(n) + " (" + clip(n.getOpType()) + ")");
                }
            }
            throw new OnnxImportException("the graph has a cycle: " + (graph.getNodeCount() - sorted.size())
                    + " node(s) depend on their own outputs, e.g. " + String.join(", ", cycle));
        }
    }

    /**
     * Checks a tensor's declared size against its data without decoding it.
     *
     * @throws OnnxImportException when dims are negative or huge, the data does not match them, the
     *                             data is external, or the type is not one cnn4j reads
     */
    static void checkTensor(TensorProto t, String where) throws OnnxImportException {
        if (t.getDataLocation() == 1 || t.getExternalDataCount() > 0) {
            throw new OnnxImportException(where + " keeps its data in an external file, which cnn4j does not read "
                    + "(save the model with its tensors inside the .onnx file)");
        }
        if (t.hasSegment()) {
            throw new OnnxImportException(where + " is a segment of a larger tensor, which cnn4j does not import");
        }
        long n = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                throw new OnnxImportException(where + " has a negative dimension in dims " + clip(t.getDimsList().toString()));
            }
            if (d != 0 && n > MAX_TENSOR_ELEMENTS / d) {
                throw new OnnxImportException(where + " declares dims " + clip(t.getDimsList().toString())
                        + ", more than " + MAX_TENSOR_ELEMENTS + " elements");
            }
            n *= d;
        }
        int type = t.getDataType();
        int size;
        int listed;
        switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                size = 4;
                listed = t.getFloatDataCount();
            }
            case TensorProto.DataType.INT64_VALUE -> {
                size = 8;
                listed = t.getInt64DataCount();
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                size = 8;
                listed = t.getDoubleDataCount();
            }
            case TensorProto.DataType.INT32_VALUE -> {
                size = 4;
                listed = t.getInt32DataCount();
            }
            case TensorProto.DataType.BOOL_VALUE, TensorProto.DataType.UINT8_VALUE, TensorProto.DataType.INT8_VALUE -> {
                size = 1;
                listed = t.getInt32DataCount();
            }
            case TensorProto.DataType.INT16_VALUE, TensorProto.DataType.UINT16_VALUE, TensorProto.DataType.FLOAT16_VALUE -> {
                size = 2;
                listed = t.getInt32DataCount();
            }
            default -> throw new OnnxImportException(where + " has data type " + type
                    + ", which cnn4j does not read (float32, float64, integers and bool)");
        }
        if (t.hasRawData()) {
            long bytes = t.getRawData().size();
            if (bytes != n * size || listed > 0) {
                throw new OnnxImportException(where + ": raw_data has " + bytes + " bytes, its dims " + clip(t.getDimsList().toString())
                        + " need " + n * size + (listed > 0 ? " (and it lists values as well)" : ""));
            }
        } else if (listed != n) {
            throw new OnnxImportException(where + " lists " + listed + " values, its dims " + clip(t.getDimsList().toString())
                    + " need " + n);
        }
    }

    /**
     * Imports the chain from the graph input to the graph output.
     *
     * @param inputShape the shape of one input sample
     * @param batch      the input's batch size when the file fixes it, else 0
     */
    Chain importGraph(Shape inputShape, long batch) throws OnnxImportException {
        this.batch = batch;
        Chain c = chain(input, null, inputShape, output);
        for (NodeProto n : sorted) {
            if (!consumed.contains(n)) {
                throw unsupportedNode(n, "is not on the path from the graph input '" + clip(input) + "' to the output '"
                        + clip(output) + "'; cnn4j imports one chain of layers (with residual branches)");
            }
        }
        return c;
    }

    /** @return the name of the graph's data input */
    String inputName() {
        return input;
    }

    /**
     * Imports the layers from {@code from} to {@code until}: one codec per node (or pattern of nodes).
     *
     * @param first the first node, or null to take the single consumer of {@code from}
     */
    private Chain chain(String from, NodeProto first, Shape start, String until) throws OnnxImportException {
        List<OnnxLayer> layers = new ArrayList<>();
        String v = from;
        Shape s = start;
        NodeProto forced = first;
        while (!v.equals(until) || forced != null) {
            List<NodeProto> cons = forced != null ? List.of(forced) : consumers(v);
            forced = null;
            if (cons.isEmpty()) {
                throw new OnnxImportException("value '" + clip(v) + "' is not read by any node, but it should lead to '"
                        + clip(until) + "'");
            }
            OnnxLayer l = null;
            value = v;
            shape = s;
            if (cons.size() == 1 && uses(cons.get(0), v) == 1) {
                NodeProto n = cons.get(0);
                if (n.getOutputCount() == 0 || n.getOutput(0).isEmpty()) {
                    throw unsupportedNode(n, "has no output");
                }
                for (int i = 1; i < n.getOutputCount(); i++) {
                    if (!n.getOutput(i).isEmpty()) {
                        throw unsupportedNode(n, "has " + n.getOutputCount() + " outputs; cnn4j imports the single-output form "
                                + "(optional outputs such as a mask, indices or training statistics must be left out)");
                    }
                }
                if (n.getOpType().equals("Identity")) {
                    attributes(n);
                    consume(n);
                    v = n.getOutput(0);
                    continue;
                }
                OnnxCodec<?> codec = codecs.forOp(n.getOpType());
                if (codec == null) {
                    throw unsupportedNode(n, "operator " + clip(n.getOpType()) + " is not supported"
                            + (n.getOpType().equals("Add") ? " here (cnn4j imports Add as a residual connection's join or "
                            + "as the bias after MatMul)" : "") + "; cnn4j imports " + supportedOps());
                }
                consume(n);
                try {
                    l = codec.importNode(n, this);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    // A layer constructor refusing what the node asks for (e.g. zero filters).
                    throw unsupportedNode(n, String.valueOf(e.getMessage()));
                }
            } else {
                for (OnnxCodec<?> c : codecs.codecs()) {
                    try {
                        l = c.importFork(v, cons, this);
                    } catch (IllegalArgumentException | IllegalStateException e) {
                        throw new OnnxImportException("the nodes reading '" + clip(v) + "': " + e.getMessage(), e);
                    }
                    if (l != null) {
                        break;
                    }
                }
                if (l == null) {
                    List<String> names = new ArrayList<>();
                    for (NodeProto n : cons) {
                        names.add(describe(n) + " (" + clip(n.getOpType()) + ")");
                    }
                    throw new OnnxImportException("value '" + clip(v) + "' is read by " + names
                            + "; cnn4j imports a fork only as a residual connection (two branches joined by Add)");
                }
            }
            String out = l.output() != null ? l.output() : last.getOutput(0);
            Shape next;
            try {
                next = l.layer().outputShape(s);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new OnnxImportException("node " + describe(last) + " (" + clip(last.getOpType()) + "): its layer "
                        + l.layer().name() + " cannot take input " + s + ": " + e.getMessage(), e);
            }
            layers.add(l);
            v = out;
            s = next;
        }
        return new Chain(layers, v, s);
    }

    private static int uses(NodeProto n, String v) {
        int k = 0;
        for (String in : n.getInputList()) {
            if (in.equals(v)) {
                k++;
            }
        }
        return k;
    }

    /** @return the operators the import reads, for messages */
    String supportedOps() {
        List<String> ops = new ArrayList<>(codecs.importOps());
        ops.add("Identity");
        ops.add("Constant");
        ops.add("Add (residual)");
        return String.join(", ", ops);
    }

    // ---- for codecs ----

    /** @return the default-domain opset version the model imports */
    public int opset() {
        return opset;
    }

    /** @return the batch size the graph input declares, or 0 when it is symbolic */
    public long batch() {
        return batch;
    }

    /**
     * @param node a node
     * @param i    an input index
     * @return whether input {@code i} is present and a constant (initializer or {@code Constant} node)
     */
    public boolean constantInput(NodeProto node, int i) {
        return hasInput(node, i) && constants.containsKey(node.getInput(i));
    }

    /** @return the name of the value the import has reached (the current node's data input) */
    public String value() {
        return value;
    }

    /** @return the shape of one sample of {@link #value()} (cnn4j's shape: without the batch dimension) */
    public Shape shape() {
        return shape;
    }

    /**
     * @param node    a node
     * @param allowed the attribute names the codec reads
     * @return the attributes, checked: any other name is an error naming it
     * @throws OnnxImportException when the node has another attribute
     */
    public OnnxAttributes attributes(NodeProto node, String... allowed) throws OnnxImportException {
        return new OnnxAttributes(node, Set.of(allowed));
    }

    /**
     * Checks that the node reads the current value as its input {@code 0} and nowhere else, and has at most
     * {@code maxInputs} inputs.
     *
     * @param node      the node
     * @param maxInputs the most inputs the codec reads
     * @throws OnnxImportException otherwise
     */
    public void requireData(NodeProto node, int maxInputs) throws OnnxImportException {
        if (node.getInputCount() == 0 || !node.getInput(0).equals(value)) {
            throw unsupportedNode(node, "reads the model's data '" + clip(value) + "' as another input than the first");
        }
        if (node.getInputCount() > maxInputs) {
            throw unsupportedNode(node, "has " + node.getInputCount() + " inputs; cnn4j reads at most " + maxInputs);
        }
    }

    /**
     * @param node a node
     * @param i    an input index
     * @return whether the node has input {@code i} (present and not the empty name)
     */
    public boolean hasInput(NodeProto node, int i) {
        return i < node.getInputCount() && !node.getInput(i).isEmpty();
    }

    /**
     * @param node a node
     * @param i    an input index
     * @param role what the input is, for messages (e.g. {@code weight W})
     * @return the constant tensor (initializer or {@code Constant} node) of input {@code i}
     * @throws OnnxImportException when the input is absent or not a constant
     */
    public TensorProto constant(NodeProto node, int i, String role) throws OnnxImportException {
        if (!hasInput(node, i)) {
            throw unsupportedNode(node, "has no " + role + " (input " + i + ")");
        }
        TensorProto t = constants.get(node.getInput(i));
        if (t == null) {
            throw unsupportedNode(node, "its " + role + " '" + clip(node.getInput(i)) + "' is not an initializer or Constant; "
                    + "cnn4j imports weights stored in the file");
        }
        return t;
    }

    /**
     * @param node a node
     * @param i    an input index
     * @param role what the input is, for messages
     * @return the dims of constant input {@code i}
     * @throws OnnxImportException when it is absent or not constant
     */
    public long[] dims(NodeProto node, int i, String role) throws OnnxImportException {
        TensorProto t = constant(node, i, role);
        long[] d = new long[t.getDimsCount()];
        for (int k = 0; k < d.length; k++) {
            d[k] = t.getDims(k);
        }
        return d;
    }

    /**
     * @param node a node
     * @param i    an input index
     * @param role what the input is, for messages
     * @return the values of constant float32 input {@code i}, row-major
     * @throws OnnxImportException when it is absent, not constant or not float32
     */
    public float[] floats(NodeProto node, int i, String role) throws OnnxImportException {
        TensorProto t = constant(node, i, role);
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw unsupportedNode(node, "its " + role + " '" + clip(t.getName()) + "' has data type " + t.getDataType()
                    + "; cnn4j imports float32 (1) weights");
        }
        int n = (int) elements(t);
        float[] v = new float[n];
        if (t.hasRawData()) {
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else {
            for (int k = 0; k < n; k++) {
                v[k] = t.getFloatData(k);
            }
        }
        return v;
    }

    /**
     * @param node a node
     * @param i    an input index
     * @param role what the input is, for messages
     * @return the values of constant integer or bool input {@code i}
     * @throws OnnxImportException when it is absent, not constant or not an integer type
     */
    public long[] integers(NodeProto node, int i, String role) throws OnnxImportException {
        TensorProto t = constant(node, i, role);
        int type = t.getDataType();
        int n = (int) elements(t);
        long[] v = new long[n];
        ByteString raw = t.hasRawData() ? t.getRawData() : null;
        ByteBuffer b = raw == null ? null : raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case TensorProto.DataType.INT64_VALUE -> {
                for (int k = 0; k < n; k++) {
                    v[k] = b != null ? b.getLong() : t.getInt64Data(k);
                }
            }
            case TensorProto.DataType.INT32_VALUE -> {
                for (int k = 0; k < n; k++) {
                    v[k] = b != null ? b.getInt() : t.getInt32Data(k);
                }
            }
            case TensorProto.DataType.BOOL_VALUE, TensorProto.DataType.UINT8_VALUE -> {
                for (int k = 0; k < n; k++) {
                    v[k] = b != null ? b.get() & 0xff : t.getInt32Data(k);
                }
            }
            default -> throw unsupportedNode(node, "its " + role + " '" + clip(t.getName()) + "' has data type " + type
                    + "; expected int64, int32 or bool");
        }
        return v;
    }

    /**
     * @param node a node
     * @param i    an input index
     * @param role what the input is, for messages
     * @return the single value of a constant scalar (or one-element) float input
     * @throws OnnxImportException when it is absent, not constant or has several values
     */
    public float scalar(NodeProto node, int i, String role) throws OnnxImportException {
        TensorProto t = constant(node, i, role);
        if (elements(t) != 1) {
            throw unsupportedNode(node, "its " + role + " should be one value, found dims " + t.getDimsList());
        }
        if (t.getDataType() == TensorProto.DataType.DOUBLE_VALUE) {
            return (float) (t.hasRawData() ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getDouble()
                    : t.getDoubleData(0));
        }
        return floats(node, i, role)[0];
    }

    private static long elements(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    /**
     * @param v a value
     * @return the nodes reading it that the import has not consumed, in topological order
     */
    public List<NodeProto> consumers(String v) {
        List<NodeProto> r = new ArrayList<>();
        for (NodeProto n : consumers.getOrDefault(v, List.of())) {
            if (!consumed.contains(n)) {
                r.add(n);
            }
        }
        r.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
        return r;
    }

    /**
     * @param v a value
     * @return the one node reading it when there is exactly one and {@code v} is not the graph output, else null
     */
    public NodeProto soleConsumer(String v) {
        List<NodeProto> c = consumers(v);
        return c.size() == 1 && !v.equals(output) ? c.get(0) : null;
    }

    /**
     * Marks a node as imported: its first output becomes the layer's output unless the codec names another.
     *
     * @param node a node following the current one (e.g. the {@code Add} after a {@code MatMul})
     */
    public void consume(NodeProto node) {
        consumed.add(node);
        last = node;
    }

    /**
     * The first node, in topological order, that every one of {@code starts} reaches (or is): where
     * the branches of a fork meet again.
     *
     * @param starts the first nodes of the branches
     * @return the node, or null when the branches never meet
     */
    public NodeProto join(List<NodeProto> starts) {
        Map<NodeProto, Integer> count = new IdentityHashMap<>();
        for (NodeProto s : starts) {
            for (NodeProto n : reachable(s)) {
                count.merge(n, 1, Integer::sum);
            }
        }
        NodeProto best = null;
        for (Map.Entry<NodeProto, Integer> e : count.entrySet()) {
            if (e.getValue() == starts.size() && (best == null || order.get(e.getKey()) < order.get(best))) {
                best = e.getKey();
            }
        }
        return best;
    }

    /**
     * @param start a node
     * @param v     a value
     * @return whether {@code v} is an output of {@code start} or of a node it reaches
     */
    public boolean reaches(NodeProto start, String v) {
        for (NodeProto n : reachable(start)) {
            if (n.getOutputList().contains(v)) {
                return true;
            }
        }
        return false;
    }

    private Set<NodeProto> reachable(NodeProto start) {
        Set<NodeProto> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<NodeProto> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            NodeProto n = todo.poll();
            if (seen.add(n)) {
                for (String o : n.getOutputList()) {
                    todo.addAll(consumers.getOrDefault(o, List.of()));
                }
            }
        }
        return seen;
    }

    /**
     * Imports a branch of a fork: the layers from the current value, starting with node
     * {@code first}, up to the value {@code until}. The current value and shape are those of the fork
     * again afterwards.
     *
     * @param first the branch's first node (a reader of {@link #value()})
     * @param until the value where the branch ends (an input of the join)
     * @return the branch's layers, at least one
     * @throws OnnxImportException when a node of the branch cannot be imported
     */
    public List<OnnxLayer> branch(NodeProto first, String until) throws OnnxImportException {
        String v = value;
        Shape s = shape;
        try {
            return chain(v, first, s, until).layers();
        } finally {
            value = v;
            shape = s;
        }
    }

    /**
     * @param node   the node
     * @param detail what is not supported and what is
     * @return the exception to throw: {@code node 'name' (Op): detail}
     */
    public OnnxImportException unsupported(NodeProto node, String detail) {
        return unsupportedNode(node, detail);
    }

    static OnnxImportException unsupportedNode(NodeProto node, String detail) {
        return new OnnxImportException("node " + describe(node) + " (" + clip(node.getOpType()) + "): " + detail);
    }

    /** @return the node's quoted name, or the value it produces when it has none */
    static String describe(NodeProto node) {
        if (!node.getName().isEmpty()) {
            return "'" + clip(node.getName()) + "'";
        }
        return node.getOutputCount() > 0 ? "producing '" + clip(node.getOutput(0)) + "'" : "(unnamed)";
    }

    /** A name shortened to fit in a one-line message, control characters replaced. */
    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String t = s.length() > CLIP ? s.substring(0, CLIP) + "..." : s;
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }

    /** @return the layers' configured form, for building */
    static List<Layer> layersOf(List<OnnxLayer> ls) {
        List<Layer> r = new ArrayList<>();
        for (OnnxLayer l : ls) {
            r.add(l.layer());
        }
        return r;
    }

}
