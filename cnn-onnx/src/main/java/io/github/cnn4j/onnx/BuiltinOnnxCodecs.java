package io.github.cnn4j.onnx;

import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.GlobalAvgPool;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/** The ONNX codecs of cnn-core's layers; the package documentation lists the mapping. */
final class BuiltinOnnxCodecs {
    private BuiltinOnnxCodecs() {
    }

    /** @return one codec per built-in layer type */
    static List<OnnxCodec<?>> all() {
        return List.of(new ConvCodec(),
                new PoolCodec<>(MaxPool.class, "MaxPool", MaxPool::size, MaxPool::new),
                new PoolCodec<>(AvgPool.class, "AveragePool", AvgPool::size, AvgPool::new),
                new DenseCodec(), new BatchNormCodec(), new DropoutCodec(),
                new Elementwise<>(ReLU.class, "Relu", ReLU::new), new Elementwise<>(Sigmoid.class, "Sigmoid", Sigmoid::new),
                new Elementwise<>(Tanh.class, "Tanh", Tanh::new),
                new FlattenCodec(), new SoftmaxCodec(), new GlobalAvgPoolCodec(), new BlockCodec(), new ResidualCodec());
    }

    /** {@code Conv} (2-D, group 1, dilations 1, symmetric pads, equal strides) with weight {@code (F, C, KH, KW)} and bias. */
    static final class ConvCodec implements OnnxCodec<Conv> {
        @Override
        public Class<Conv> layerClass() {
            return Conv.class;
        }

        @Override
        public String export(Conv c, OnnxExport out) {
            int p = c.padding();
            return out.node("Conv", out.input(), out.initializer("weight", c.weight()), out.initializer("bias", c.bias()))
                    .ints("kernel_shape", c.kernelHeight(), c.kernelWidth())
                    .ints("pads", p, p, p, p)
                    .ints("strides", c.stride(), c.stride())
                    .ints("dilations", 1, 1)
                    .integer("group", 1)
                    .output();
        }

        @Override
        public Set<String> importOps() {
            return Set.of("Conv");
        }

        @Override
        public OnnxLayer importNode(NodeProto n, OnnxImport in) throws OnnxImportException {
            in.requireData(n, 3);
            OnnxAttributes a = in.attributes(n, "kernel_shape", "pads", "strides", "dilations", "group", "auto_pad");
            long[] w = in.dims(n, 1, "weight W");
            if (w.length != 4) {
                throw in.unsupported(n, "weight W has dims " + Arrays.toString(w) + "; cnn4j imports 2-D convolution, W (F, C, KH, KW)");
            }
            if (a.integer("group", 1) != 1) {
                throw in.unsupported(n, "group " + a.integer("group", 1) + " is not supported; cnn4j imports group 1");
            }
            Shape s = in.shape();
            if (s.rank() != 3) {
                throw in.unsupported(n, "input has sample shape " + s + "; cnn4j imports Conv on (N, C, H, W)");
            }
            if (w[1] != s.channels()) {
                throw in.unsupported(n, "weight W has " + w[1] + " input channels, the input has " + s.channels());
            }
            int f = (int) w[0];
            int kh = (int) w[2];
            int kw = (int) w[3];
            long[] k = a.ints("kernel_shape");
            if (k != null && !Arrays.equals(k, new long[] {kh, kw})) {
                throw in.unsupported(n, "kernel_shape " + Arrays.toString(k) + " differs from W's " + kh + "x" + kw);
            }
            requireAll(in, n, a.ints("dilations"), 2, 1, "dilations", "cnn4j imports dilations 1");
            int stride = equalPair(in, n, a.ints("strides"), 1, "strides", "cnn4j imports equal strides in both dimensions");
            int pad = pads(in, n, a, s, new int[] {kh, kw}, stride);
            float[] weight = in.floats(n, 1, "weight W");
            float[] bias = in.hasInput(n, 2) ? in.floats(n, 2, "bias B") : new float[f];
            if (bias.length != f) {
                throw in.unsupported(n, "bias B has " + bias.length + " values for " + f + " filters");
            }
            return OnnxLayer.of(new Conv(kh, kw, f).padding(pad).stride(stride), List.of(weight, bias), List.of());
        }
    }

    /** {@code MaxPool}, {@code AveragePool}: square window {@code s}, stride {@code s}, no padding. */
    static final class PoolCodec<L extends Layer> implements OnnxCodec<L> {
        private final Class<L> cls;
        private final String op;
        private final ToIntFunction<L> size;
        private final IntFunction<L> create;

        PoolCodec(Class<L> cls, String op, ToIntFunction<L> size, IntFunction<L> create) {
            this.cls = cls;
            this.op = op;
            this.size = size;
            this.create = create;
        }

        @Override
        public Class<L> layerClass() {
            return cls;
        }

        @Override
        public String export(L layer, OnnxExport out) {
            int s = size.applyAsInt(layer);
            OnnxNode node = out.node(op, out.input())
                    .ints("kernel_shape", s, s)
                    .ints("strides", s, s)
                    .ints("pads", 0, 0, 0, 0)
                    .integer("ceil_mode", 0);
            if (op.equals("AveragePool")) {
                node.integer("count_include_pad", 0);
            }
            return node.output();
        }

        @Override
        public Set<String> importOps() {
            return Set.of(op);
        }

        @Override
        public OnnxLayer importNode(NodeProto n, OnnxImport in) throws OnnxImportException {
            in.requireData(n, 1);
            OnnxAttributes a = op.equals("MaxPool")
                    ? in.attributes(n, "kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "dilations", "storage_order")
                    : in.attributes(n, "kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "count_include_pad");
            Shape s = in.shape();
            long[] k = a.ints("kernel_shape");
            if (k == null || k.length != 2 || s.rank() != 3) {
                throw in.unsupported(n, "kernel_shape " + (k == null ? "missing" : Arrays.toString(k)) + " on sample shape " + s
                        + "; cnn4j imports 2-D pooling on (N, C, H, W)");
            }
            int size = equalPair(in, n, k, 0, "kernel_shape", "cnn4j imports square windows");
            long[] st = a.ints("strides");
            if (st == null || st.length != 2 || st[0] != size || st[1] != size) {
                throw in.unsupported(n, "strides " + (st == null ? "[1, 1] (default)" : Arrays.toString(st)) + " with kernel "
                        + size + "x" + size + "; cnn4j imports non-overlapping pooling (strides equal to the kernel)");
            }
            requireAll(in, n, a.ints("pads"), 4, 0, "pads", "cnn4j imports pooling without padding");
            String autoPad = a.string("auto_pad", "NOTSET");
            if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
                throw in.unsupported(n, "auto_pad " + OnnxImport.clip(autoPad) + " is not supported; cnn4j imports NOTSET and VALID");
            }
            requireAll(in, n, a.ints("dilations"), 2, 1, "dilations", "cnn4j imports dilations 1");
            if (a.integer("storage_order", 0) != 0) {
                throw in.unsupported(n, "storage_order 1 is not supported (no Indices output)");
            }
            if (a.integer("ceil_mode", 0) != 0 && ((s.height() - size) % size != 0 || (s.width() - size) % size != 0)) {
                throw in.unsupported(n, "ceil_mode 1 on " + s.height() + "x" + s.width() + " with window " + size
                        + " keeps partial windows; cnn4j imports floor mode (or ceil_mode where the windows tile the input)");
            }
            return OnnxLayer.of(create.apply(size));
        }
    }

    /** {@code Gemm} {@code Y = X W + b} (export); import: {@code Gemm} (transA 0) and {@code MatMul} with an optional {@code Add}. */
    static final class DenseCodec implements OnnxCodec<Dense> {
        @Override
        public Class<Dense> layerClass() {
            return Dense.class;
        }

        @Override
        public String export(Dense d, OnnxExport out) {
            return out.node("Gemm", out.input(), out.initializer("weight", d.weight()), out.initializer("bias", d.bias()))
                    .real("alpha", 1f)
                    .real("beta", 1f)
                    .integer("transA", 0)
                    .integer("transB", 0)
                    .output();
        }

        @Override
        public Set<String> importOps() {
            return Set.of("Gemm", "MatMul");
        }

        @Override
        public OnnxLayer importNode(NodeProto n, OnnxImport in) throws OnnxImportException {
            Shape s = in.shape();
            if (s.rank() != 1) {
                throw in.unsupported(n, "input has sample shape " + s + "; cnn4j imports " + n.getOpType()
                        + " on 2-D (N, K) inputs (flatten first)");
            }
            if (n.getOpType().equals("MatMul")) {
                return matMul(n, in, s.size());
            }
            in.requireData(n, 3);
            OnnxAttributes a = in.attributes(n, "alpha", "beta", "transA", "transB");
            if (a.integer("transA", 0) != 0) {
                throw in.unsupported(n, "transA 1 transposes the batch; cnn4j imports transA 0");
            }
            boolean transB = a.integer("transB", 0) != 0;
            long[] b = in.dims(n, 1, "weight B");
            if (b.length != 2) {
                throw in.unsupported(n, "weight B has dims " + Arrays.toString(b) + "; expected 2-D");
            }
            int inputs = (int) (transB ? b[1] : b[0]);
            int units = (int) (transB ? b[0] : b[1]);
            if (inputs != s.size()) {
                throw in.unsupported(n, "weight B has dims " + Arrays.toString(b) + (transB ? " (transB 1)" : "") + " for "
                        + s.size() + " inputs");
            }
            float[] w = in.floats(n, 1, "weight B");
            if (transB) {
                w = transpose(w, units, inputs);
            }
            scale(w, a.real("alpha", 1f));
            float[] bias = in.hasInput(n, 2) ? bias(in, n, 2, "bias C", units) : new float[units];
            scale(bias, a.real("beta", 1f));
            return OnnxLayer.of(new Dense(units), List.of(w, bias), List.of());
        }

        private static OnnxLayer matMul(NodeProto n, OnnxImport in, int inputs) throws OnnxImportException {
            in.requireData(n, 2);
            in.attributes(n);
            long[] b = in.dims(n, 1, "weight B");
            if (b.length != 2 || b[0] != inputs) {
                throw in.unsupported(n, "weight B has dims " + Arrays.toString(b) + "; cnn4j imports a 2-D (" + inputs
                        + ", units) weight");
            }
            int units = (int) b[1];
            float[] w = in.floats(n, 1, "weight B");
            float[] bias = new float[units];
            NodeProto add = in.soleConsumer(n.getOutput(0));
            if (add != null && add.getOpType().equals("Add") && add.getInputCount() == 2 && add.getOutputCount() == 1) {
                int other = add.getInput(0).equals(n.getOutput(0)) ? 1 : 0;
                if (!add.getInput(other).equals(n.getOutput(0)) && in.constantInput(add, other)) {
                    in.attributes(add);
                    bias = bias(in, add, other, "bias", units);
                    in.consume(add);
                }
            }
            return OnnxLayer.of(new Dense(units), List.of(w, bias), List.of());
        }

        /** A bias of {@code units} values, or one value broadcast. */
        private static float[] bias(OnnxImport in, NodeProto n, int i, String role, int units) throws OnnxImportException {
            long[] d = in.dims(n, i, role);
            long count = 1;
            for (long x : d) {
                count *= x;
            }
            boolean row = d.length == 0 || d[d.length - 1] == count;
            if (!row || d.length > 2 || (count != units && count != 1)) {
                throw in.unsupported(n, role + " has dims " + Arrays.toString(d) + "; cnn4j imports a bias of (" + units
                        + "), (1, " + units + ") or one value");
            }
            float[] v = in.floats(n, i, role);
            if (v.length == units) {
                return v;
            }
            float[] r = new float[units];
            Arrays.fill(r, v[0]);
            return r;
        }

        private static float[] transpose(float[] m, int rows, int cols) {
            float[] t = new float[m.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c * rows + r] = m[r * cols + c];
                }
            }
            return t;
        }

        private static void scale(float[] v, float f) {
            if (f != 1f) {
                for (int i = 0; i < v.length; i++) {
                    v[i] *= f;
                }
            }
        }
    }

    /** {@code BatchNormalization} in inference form: scale, B, mean, var per channel (dimension 1), epsilon. */
    static final class BatchNormCodec implements OnnxCodec<BatchNorm> {
        @Override
        public Class<BatchNorm> layerClass() {
            return BatchNorm.class;
        }

        @Override
        public String export(BatchNorm b, OnnxExport out) {
            return out.node("BatchNormalization", out.input(), out.initializer("gamma", b.gamma()),
                            out.initializer("beta", b.beta()), out.initializer("running_mean", b.runningMean()),
                            out.initializer("running_var", b.runningVar()))
                    .real("epsilon", (float) b.epsilon())
                    .output();
        }

        @Override
        public Set<String> importOps() {
            return Set.of("BatchNormalization");
        }

        @Override
        public OnnxLayer importNode(NodeProto n, OnnxImport in) throws OnnxImportException {
            in.requireData(n, 5);
            OnnxAttributes a = in.attributes(n, "epsilon", "momentum", "training_mode", "spatial");
            if (a.integer("training_mode", 0) != 0) {
                throw in.unsupported(n, "training_mode 1 (batch statistics) is not supported; cnn4j imports the inference form");
            }
            if (a.integer("spatial", 1) != 1) {
                throw in.unsupported(n, "spatial 0 (per-element statistics) is not supported; cnn4j imports spatial 1");
            }
            int c = in.shape().dim(0);
            String[] roles = {"scale", "B", "input_mean", "input_var"};
            float[][] v = new float[4][];
            for (int i = 0; i < 4; i++) {
                long[] d = in.dims(n, i + 1, roles[i]);
                if (d.length != 1 || d[0] != c) {
                    throw in.unsupported(n, roles[i] + " has dims " + Arrays.toString(d) + "; expected (" + c + "), one per channel");
                }
                v[i] = in.floats(n, i + 1, roles[i]);
            }
            float eps = a.real("epsilon", 1e-5f);
            if (!(eps > 0) || !Float.isFinite(eps)) {
                throw in.unsupported(n, "epsilon " + eps + "; expected a finite number > 0");
            }
            // The shortest decimal of the float: 1e-5f becomes 1e-5, cnn4j's default, not 9.99999974737875e-6.
            BatchNorm layer = new BatchNorm().epsilon(Double.parseDouble(Float.toString(eps)));
            return OnnxLayer.of(layer, List.of(v[0], v[1]), List.of(v[2], v[3]));
        }
    }

    /** {@code Dropout} with its ratio (the identity at inference). */
    static final class DropoutCodec implements OnnxCodec<Dropout> {
        @Override
        public Class<Dropout> layerClass() {
            return Dropout.class;
        }

        @Override
        public String export(Dropout d, OnnxExport out) {
            return out.node("Dropout", out.input(), out.initializer("ratio", new float[] {(float) d.rate()})).output();
        }

        @Override
        public Set<String> importOps() {
            return Set.of("Dropout");
        }

        @Override
        public OnnxLayer importNode(NodeProto n, OnnxImport in) throws OnnxImportException {
            in.requireData(n, 3);
            OnnxAttributes a = in.attributes(n, "ratio", "seed", "is_test");
            float ratio = a.real("ratio", 0.5f);
            if (in.hasInput(n, 1)) {
                ratio = in.scalar(n, 1, "ratio");
            }
            if (in.hasInput(n, 2)) {
                long[] mode = in.integers(n, 2, "training_mode");
                // In training mode only ratio 0 is deterministic (the identity), which cnn4j computes too.
                if (mode.length != 1 || mode[0] != 0 && ratio != 0) {
                    throw in.unsupported(n, "training_mode true with ratio " + ratio + " is not supported (random); cnn4j imports "
                            + "Dropout at inference (the identity), or in training mode with ratio 0");
                }
            }
            if (!(ratio >= 0 && ratio < 1)) {
                throw in.unsupported(n, "ratio " + ratio + "; cnn4j's Dropout takes a ratio in [0, 1)");
            }
            return OnnxLayer.of(new Dropout(Double.parseDouble(Float.toString(ratio))));
        }
    }

    /** {@code Relu}, {@code Sigmoid}, {@code Tanh}: any shape. */
    static final class Elementwise<L extends Layer> implements OnnxCodec<L> {
        private final Class<L> cls;
        private final String op;
        private final Supplier<L> create;

        Elementwise(Class<L> cls, String op, Supplier<L> create) {
            this.cls = cls;
            this.op = op;
            this.create = create;
        }

        @Override
        public Class<L> layerClass() {
            return cls;
        }

        @Override
        public String export(L layer, OnnxExport out) {
            return out.node(op, out.input()).output();
        }

        @Override
        public Set<String> importOps() {
            return Set.of(op);
        }

        @Override
        public OnnxLayer importNode(NodeProto n, OnnxImport in) throws OnnxImportException {
            in.requireData(n, 1);
            in.attributes(n);
            return OnnxLayer.of(create.get());
        }
    }

    /** {@code Flatten} with axis 1; import: {@code Flatten} (axis 1) and {@code Reshape} to {@code (N, size)}. */
    static final class FlattenCodec implements OnnxCodec<Flatten> {
        @Override
        public Class<Flatten> layerClass() {
            return Flatten.class;
        }

        @Override
        public String export(Flatten f, OnnxExport out) {
            return out.node("Flatten", out.input()).integer("axis", 1).output();
        }

        @Override
        public Set<String> importOps() {
            return Set.of("Flatten", "Reshape");
        }

        @Override
        public OnnxLayer importNode(NodeProto n, OnnxImport in) throws OnnxImportException {
            Shape s = in.shape();
            int rank = s.rank() + 1;
            if (n.getOpType().equals("Flatten")) {
                in.requireData(n, 1);
                long axis = in.attributes(n, "axis").integer("axis", 1);
                long norm = axis < 0 ? axis + rank : axis;
                if (norm != 1) {
                    throw in.unsupported(n, "axis " + axis + " on a rank-" + rank + " input; cnn4j imports axis 1 (keeps the batch "
                            + "dimension, flattens the rest)");
                }
                return OnnxLayer.of(new Flatten());
            }
            in.requireData(n, 2);
            long allowZero = in.attributes(n, "allowzero").integer("allowzero", 0);
            long[] t = in.integers(n, 1, "shape");
            long size = s.size();
            long batch = in.batch();
            boolean first = t.length == 2 && (t[0] == 0 && allowZero == 0 || t[0] == -1 && t[1] != -1 || batch > 0 && t[0] == batch);
            if (!first || !(t[1] == size || t[1] == -1 && t[0] != -1)) {
                throw in.unsupported(n, "target shape " + Arrays.toString(t) + " on sample shape " + s
                        + "; cnn4j imports Reshape to 2-D (batch, " + size + ") only, e.g. [0, -1] or [-1, " + size + "]");
            }
            return OnnxLayer.of(new Flatten());
        }
    }

    /** {@code Softmax} over the class dimension of {@code (N, K)}. */
    static final class SoftmaxCodec implements OnnxCodec<Softmax> {
        @Override
        public Class<Softmax> layerClass() {
            return Softmax.class;
        }

        @Override
        public String export(Softmax layer, OnnxExport out) {
            return out.node("Softmax", out.input()).integer("axis", 1).output();
        }

        @Override
        public Set<String> importOps() {
            return Set.of("Softmax");
        }

        @Override
        public OnnxLayer importNode(NodeProto n, OnnxImport in) throws OnnxImportException {
            in.requireData(n, 1);
            long axis = in.attributes(n, "axis").integer("axis", in.opset() >= 13 ? -1 : 1);
            Shape s = in.shape();
            if (s.rank() != 1 || (axis != 1 && axis != -1)) {
                throw in.unsupported(n, "axis " + axis + " on a rank-" + (s.rank() + 1) + " input; cnn4j imports Softmax over "
                        + "the last dimension of a 2-D (N, K) input");
            }
            return OnnxLayer.of(new Softmax());
        }
    }

    /** {@code GlobalAveragePool} then {@code Flatten} (axis 1): {@code (N, C, H, W)} to {@code (N, C)}. */
    static final class GlobalAvgPoolCodec implements OnnxCodec<GlobalAvgPool> {
        @Override
        public Class<GlobalAvgPool> layerClass() {
            return GlobalAvgPool.class;
        }

        @Override
        public String export(GlobalAvgPool layer, OnnxExport out) {
            String pooled = out.node("GlobalAveragePool", out.input()).output();
            return out.node("Flatten", pooled).integer("axis", 1).output();
        }

        @Override
        public Set<String> importOps() {
            return Set.of("GlobalAveragePool");
        }

        @Override
        public OnnxLayer importNode(NodeProto n, OnnxImport in) throws OnnxImportException {
            in.requireData(n, 1);
            in.attributes(n);
            if (in.shape().rank() != 3) {
                throw in.unsupported(n, "input has sample shape " + in.shape() + "; cnn4j imports GlobalAveragePool on (N, C, H, W)");
            }
            // (N, C, 1, 1) and cnn4j's (C) hold the same values in the same order; a Flatten that follows is absorbed.
            NodeProto next = in.soleConsumer(n.getOutput(0));
            if (next != null && next.getOpType().equals("Flatten") && next.getInputCount() == 1 && next.getOutputCount() == 1) {
                OnnxAttributes a = in.attributes(next, "axis");
                if (a.integer("axis", 1) == 1) {
                    in.consume(next);
                }
            }
            return OnnxLayer.of(new GlobalAvgPool());
        }
    }

    /** A nested {@link Block}: its layers' nodes, one after another (imported as a flat chain). */
    static final class BlockCodec implements OnnxCodec<Block> {
        @Override
        public Class<Block> layerClass() {
            return Block.class;
        }

        @Override
        public String export(Block b, OnnxExport out) {
            List<Layer> layers = b.layers();
            List<Shape> shapes = Sequential.plan(layers, out.inputShape());
            String v = out.input();
            for (int i = 0; i < layers.size(); i++) {
                v = out.child(layers.get(i), Integer.toString(i), v, shapes.get(i));
            }
            return v;
        }
    }

    /**
     * {@link Residual}: the block's nodes and the shortcut's (when it projects) from the same input,
     * joined by {@code Add(block, shortcut)}; imported from that fork pattern.
     */
    static final class ResidualCodec implements OnnxCodec<Residual> {
        @Override
        public Class<Residual> layerClass() {
            return Residual.class;
        }

        @Override
        public String export(Residual r, OnnxExport out) {
            String block = out.child(r.block(), "block", out.input(), out.inputShape());
            String shortcut = r.shortcut() == null ? out.input() : out.child(r.shortcut(), "shortcut", out.input(), out.inputShape());
            return out.node("Add", block, shortcut).output();
        }

        @Override
        public OnnxLayer importFork(String x, List<NodeProto> consumers, OnnxImport in) throws OnnxImportException {
            if (consumers.size() != 2) {
                return null;
            }
            NodeProto join = in.join(consumers);
            if (join == null || !join.getOpType().equals("Add") || join.getInputCount() != 2 || join.getOutputCount() != 1) {
                return null;
            }
            in.attributes(join);
            String a = join.getInput(0);
            String b = join.getInput(1);
            Shape shape = in.shape();
            List<OnnxLayer> block;
            List<OnnxLayer> shortcut = null;
            if (consumers.contains(join)) {
                NodeProto start = consumers.get(0) == join ? consumers.get(1) : consumers.get(0);
                String end = a.equals(x) ? b : a;
                if (end.equals(x)) {
                    return null;
                }
                block = in.branch(start, end);
            } else {
                NodeProto toA = in.reaches(consumers.get(0), a) ? consumers.get(0) : consumers.get(1);
                NodeProto toB = toA == consumers.get(0) ? consumers.get(1) : consumers.get(0);
                if (!in.reaches(toA, a) || !in.reaches(toB, b)) {
                    throw in.unsupported(join, "the two branches from '" + OnnxImport.clip(x) + "' do not end in its two inputs");
                }
                block = in.branch(toA, a);
                shortcut = in.branch(toB, b);
            }
            in.consume(join);
            OnnxLayer body = combine(block);
            List<float[]> params = new ArrayList<>(body.parameters());
            List<float[]> state = new ArrayList<>(body.state());
            Residual r;
            if (shortcut == null) {
                r = new Residual(body.layer());
            } else {
                OnnxLayer s = combine(shortcut);
                params.addAll(s.parameters());
                state.addAll(s.state());
                r = isAutomatic(body.layer(), s.layer(), shape) ? new Residual(body.layer()) : new Residual(body.layer(), s.layer());
            }
            return new OnnxLayer(r, params, state, join.getOutput(0));
        }

        /** Whether {@code Residual(block)} would choose this shortcut itself (a 1x1 projection of the same stride). */
        private static boolean isAutomatic(Layer block, Layer shortcut, Shape in) {
            if (!(shortcut instanceof Conv c) || c.kernelHeight() != 1 || c.kernelWidth() != 1 || c.padding() != 0) {
                return false;
            }
            try {
                Layer auto = new Residual(block).shortcutFor(in);
                return auto instanceof Conv p && p.stride() == c.stride() && p.filters() == c.filters();
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        /** One layer as it is; several as a {@link Block}, their values in order. */
        private static OnnxLayer combine(List<OnnxLayer> layers) {
            if (layers.size() == 1) {
                return layers.get(0);
            }
            List<float[]> params = new ArrayList<>();
            List<float[]> state = new ArrayList<>();
            for (OnnxLayer l : layers) {
                params.addAll(l.parameters());
                state.addAll(l.state());
            }
            return OnnxLayer.of(new Block(OnnxImport.layersOf(layers)), params, state);
        }
    }

    /** Checks that an INTS attribute, when present, has {@code length} values all equal to {@code expected}. */
    static void requireAll(OnnxImport in, NodeProto n, long[] v, int length, long expected, String name, String supported)
            throws OnnxImportException {
        if (v == null) {
            return;
        }
        boolean ok = v.length == length;
        for (long x : v) {
            ok &= x == expected;
        }
        if (!ok) {
            throw in.unsupported(n, name + " " + Arrays.toString(v) + " is not supported; " + supported);
        }
    }

    /** @return the common value of a two-value INTS attribute (def when absent, unless def is 0) */
    static int equalPair(OnnxImport in, NodeProto n, long[] v, int def, String name, String supported) throws OnnxImportException {
        if (v == null && def > 0) {
            return def;
        }
        if (v == null || v.length != 2 || v[0] != v[1] || v[0] < 1 || v[0] > Integer.MAX_VALUE) {
            throw in.unsupported(n, name + " " + (v == null ? "missing" : Arrays.toString(v)) + " is not supported; " + supported);
        }
        return (int) v[0];
    }

    /** Conv padding from pads or auto_pad: one value on every side. */
    static int pads(OnnxImport in, NodeProto n, OnnxAttributes a, Shape s, int[] k, int stride) throws OnnxImportException {
        String autoPad = a.string("auto_pad", "NOTSET");
        long[] pads = a.ints("pads");
        switch (autoPad) {
            case "NOTSET" -> {
                if (pads == null) {
                    return 0;
                }
                if (pads.length != 4 || pads[0] != pads[1] || pads[0] != pads[2] || pads[0] != pads[3] || pads[0] < 0
                        || pads[0] > Integer.MAX_VALUE) {
                    throw in.unsupported(n, "pads " + Arrays.toString(pads) + " is not supported; cnn4j imports the same padding "
                            + "on all four sides");
                }
                return (int) pads[0];
            }
            case "VALID" -> {
                return 0;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int[] in2 = {s.height(), s.width()};
                int total = -1;
                for (int d = 0; d < 2; d++) {
                    int out = (in2[d] + stride - 1) / stride;
                    int t = Math.max((out - 1) * stride + k[d] - in2[d], 0);
                    if (t % 2 != 0 || (total >= 0 && t != total)) {
                        throw in.unsupported(n, "auto_pad " + autoPad + " needs uneven padding here; cnn4j imports the same "
                                + "padding on all four sides");
                    }
                    total = t;
                }
                return total / 2;
            }
            default -> throw in.unsupported(n, "auto_pad " + OnnxImport.clip(autoPad) + " is not supported; cnn4j imports NOTSET, "
                    + "VALID, SAME_UPPER and SAME_LOWER (when the padding is symmetric)");
        }
    }
}
