package io.github.cnn4j.io.json;

import io.github.cnn4j.io.FormatException;
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
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The codecs of cnn-core's layers (the field lists are documented in {@link NativeModelFormat}).
 */
final class BuiltinCodecs {
    private static final int MAX = LayerReader.MAX_SIZE;

    private BuiltinCodecs() {
    }

    /** @return one codec per built-in layer type */
    static List<LayerCodec<?>> all() {
        return List.of(new ConvCodec(), new PoolCodec<>("maxpool", MaxPool.class, MaxPool::size, MaxPool::new),
                new PoolCodec<>("avgpool", AvgPool.class, AvgPool::size, AvgPool::new),
                new DenseCodec(), new BatchNormCodec(), new DropoutCodec(),
                new Plain<>("relu", ReLU.class, ReLU::new), new Plain<>("sigmoid", Sigmoid.class, Sigmoid::new),
                new Plain<>("tanh", Tanh.class, Tanh::new), new Plain<>("flatten", Flatten.class, Flatten::new),
                new Plain<>("softmax", Softmax.class, Softmax::new),
                new Plain<>("globalavgpool", GlobalAvgPool.class, GlobalAvgPool::new),
                new BlockCodec(), new ResidualCodec());
    }

    /** {@code conv}: {@code kernel [h, w]}, {@code filters}, {@code padding} (0), {@code stride} (1), {@code meanBiasGradient} (false). */
    static final class ConvCodec implements LayerCodec<Conv> {
        @Override
        public String type() {
            return "conv";
        }

        @Override
        public Class<Conv> layerClass() {
            return Conv.class;
        }

        @Override
        public void write(Conv c, LayerWriter out) throws IOException {
            out.field("kernel", new int[] {c.kernelHeight(), c.kernelWidth()});
            out.field("filters", c.filters());
            out.field("padding", c.padding());
            if (c.stride() != 1) {
                out.field("stride", c.stride());
            }
            if (c.meanBiasGradient()) {
                out.field("meanBiasGradient", true);
            }
        }

        @Override
        public Conv read(LayerReader in) throws FormatException {
            int[] k = in.integers("kernel", 2, 1, MAX);
            int filters = in.integer("filters", 1, MAX, null);
            int padding = in.integer("padding", 0, MAX, 0);
            boolean mean = in.flag("meanBiasGradient", false);
            int stride = in.integer("stride", 1, MAX, 1);
            return new Conv(k[0], k[1], filters).padding(padding).stride(stride).meanBiasGradient(mean);
        }

        @Override
        public List<ParamSpec> parameters(Conv c, Shape input, LayerCodecs codecs) {
            return List.of(ParamSpec.parameter("weight", c.filters(), input.channels(), c.kernelHeight(), c.kernelWidth()),
                    ParamSpec.parameter("bias", c.filters()));
        }
    }

    /** {@code maxpool}, {@code avgpool}: {@code size}. */
    static final class PoolCodec<L extends Layer> implements LayerCodec<L> {
        private final String type;
        private final Class<L> cls;
        private final ToIntFunction<L> size;
        private final IntFunction<L> create;

        PoolCodec(String type, Class<L> cls, ToIntFunction<L> size, IntFunction<L> create) {
            this.type = type;
            this.cls = cls;
            this.size = size;
            this.create = create;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Class<L> layerClass() {
            return cls;
        }

        @Override
        public void write(L l, LayerWriter out) throws IOException {
            out.field("size", size.applyAsInt(l));
        }

        @Override
        public L read(LayerReader in) throws FormatException {
            return create.apply(in.integer("size", 1, MAX, null));
        }
    }

    /** {@code dense}: {@code units}. */
    static final class DenseCodec implements LayerCodec<Dense> {
        @Override
        public String type() {
            return "dense";
        }

        @Override
        public Class<Dense> layerClass() {
            return Dense.class;
        }

        @Override
        public void write(Dense d, LayerWriter out) throws IOException {
            out.field("units", d.units());
        }

        @Override
        public Dense read(LayerReader in) throws FormatException {
            return new Dense(in.integer("units", 1, MAX, null));
        }

        @Override
        public List<ParamSpec> parameters(Dense d, Shape input, LayerCodecs codecs) {
            return List.of(ParamSpec.parameter("weight", input.size(), d.units()), ParamSpec.parameter("bias", d.units()));
        }
    }

    /** {@code batchnorm}: {@code epsilon} (1e-5); stores gamma, beta, running_mean, running_var. */
    static final class BatchNormCodec implements LayerCodec<BatchNorm> {
        @Override
        public String type() {
            return "batchnorm";
        }

        @Override
        public Class<BatchNorm> layerClass() {
            return BatchNorm.class;
        }

        @Override
        public void write(BatchNorm b, LayerWriter out) throws IOException {
            out.field("epsilon", b.epsilon());
        }

        @Override
        public BatchNorm read(LayerReader in) throws FormatException {
            double eps = in.number("epsilon", BatchNorm.DEFAULT_EPSILON);
            if (!(eps > 0) || eps > 1) {
                throw in.fieldError("epsilon", "expected a number in (0, 1], found " + eps);
            }
            return new BatchNorm().epsilon(eps);
        }

        @Override
        public List<ParamSpec> parameters(BatchNorm b, Shape input, LayerCodecs codecs) {
            int c = BatchNorm.channels(input);
            return List.of(ParamSpec.parameter("gamma", c), ParamSpec.parameter("beta", c), ParamSpec.state("running_mean", c),
                    ParamSpec.state("running_var", c));
        }
    }

    /** {@code dropout}: {@code rate} in [0, 1). */
    static final class DropoutCodec implements LayerCodec<Dropout> {
        @Override
        public String type() {
            return "dropout";
        }

        @Override
        public Class<Dropout> layerClass() {
            return Dropout.class;
        }

        @Override
        public void write(Dropout d, LayerWriter out) throws IOException {
            out.field("rate", d.rate());
        }

        @Override
        public Dropout read(LayerReader in) throws FormatException {
            double rate = in.number("rate", null);
            if (!(rate >= 0 && rate < 1)) {
                throw in.fieldError("rate", "expected a number in [0, 1), found " + rate);
            }
            return new Dropout(rate);
        }
    }

    /** Layers without options or parameters. */
    static final class Plain<L extends Layer> implements LayerCodec<L> {
        private final String type;
        private final Class<L> cls;
        private final Supplier<L> create;

        Plain(String type, Class<L> cls, Supplier<L> create) {
            this.type = type;
            this.cls = cls;
            this.create = create;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Class<L> layerClass() {
            return cls;
        }

        @Override
        public void write(L layer, LayerWriter out) {
        }

        @Override
        public L read(LayerReader in) {
            return create.get();
        }
    }

    /** {@code block}: {@code layers}, an array of layer objects; child {@code i}'s arrays are named {@code i.<name>}. */
    static final class BlockCodec implements LayerCodec<Block> {
        @Override
        public String type() {
            return "block";
        }

        @Override
        public Class<Block> layerClass() {
            return Block.class;
        }

        @Override
        public void write(Block b, LayerWriter out) throws IOException {
            out.layers("layers", b.layers());
        }

        @Override
        public Block read(LayerReader in) throws FormatException {
            return new Block(in.layers("layers"));
        }

        @Override
        public List<ParamSpec> parameters(Block b, Shape input, LayerCodecs codecs) {
            List<Shape> inputs = b.childInputs(input);
            List<List<ParamSpec>> children = new ArrayList<>();
            for (int i = 0; i < b.layers().size(); i++) {
                children.add(prefixed(codecs.parameters(b.layers().get(i), inputs.get(i)), i + "."));
            }
            return parametersThenState(children);
        }
    }

    /**
     * {@code residual}: {@code block}, a layer object, and {@code shortcut}, a layer object written only
     * when it was given explicitly (else it is chosen from the shapes); arrays named {@code block.<name>}
     * and {@code shortcut.<name>}.
     */
    static final class ResidualCodec implements LayerCodec<Residual> {
        @Override
        public String type() {
            return "residual";
        }

        @Override
        public Class<Residual> layerClass() {
            return Residual.class;
        }

        @Override
        public void write(Residual r, LayerWriter out) throws IOException {
            out.layer("block", r.block());
            if (r.explicitShortcut()) {
                out.layer("shortcut", r.shortcut());
            }
        }

        @Override
        public Residual read(LayerReader in) throws FormatException {
            Layer block = in.layer("block");
            return in.has("shortcut") ? new Residual(block, in.layer("shortcut")) : new Residual(block);
        }

        @Override
        public List<ParamSpec> parameters(Residual r, Shape input, LayerCodecs codecs) {
            List<List<ParamSpec>> children = new ArrayList<>();
            children.add(prefixed(codecs.parameters(r.block(), input), "block."));
            Layer s = r.shortcutFor(input);
            if (s != null) {
                children.add(prefixed(codecs.parameters(s, input), "shortcut."));
            }
            return parametersThenState(children);
        }
    }

    private static List<ParamSpec> prefixed(List<ParamSpec> specs, String prefix) {
        List<ParamSpec> out = new ArrayList<>();
        for (ParamSpec p : specs) {
            out.add(p.prefixed(prefix));
        }
        return out;
    }

    /** A composite's arrays: its children's parameters in child order, then their state (as {@code Layer.parameters()}, {@code state()}). */
    private static List<ParamSpec> parametersThenState(List<List<ParamSpec>> children) {
        List<ParamSpec> out = new ArrayList<>();
        for (List<ParamSpec> c : children) {
            c.stream().filter(p -> !p.state()).forEach(out::add);
        }
        for (List<ParamSpec> c : children) {
            c.stream().filter(ParamSpec::state).forEach(out::add);
        }
        return out;
    }
}
