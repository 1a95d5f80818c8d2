package io.github.cnn4j.model;

import io.github.cnn4j.layer.CompositeLayer;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.InitContext;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A residual connection (He et al. 2016): {@code y = block(x) + shortcut(x)}, where the shortcut is
 * the identity when the block keeps the shape and otherwise a projection, a 1x1 convolution with the
 * block's output channels and the stride that gives its output size.
 *
 * <pre>{@code
 * new Residual(new Block(new Conv(3, 3, 32).padding(1).stride(2), new BatchNorm(), new ReLU(),
 *                        new Conv(3, 3, 32).padding(1), new BatchNorm()))   // (16, 28, 28) -> (32, 14, 14)
 * }</pre>
 *
 * <p>Children: the block, then the projection when there is one (so the block's parameters come
 * first). The backward pass sends {@code dy} to both branches and adds their input gradients.
 */
public final class Residual implements CompositeLayer {
    /** Scratch name of the activation buffers kept between the children. */
    private static final String BUFFERS = "buffers";

    private final Layer block;
    /** The projection: null for the identity (or, unbuilt, when it is chosen at build time). */
    private final Layer shortcut;
    private final boolean explicitShortcut;
    private final Shape input;
    private final List<Parameter> parameters;
    private final List<Parameter> state;

    /** @param block the residual branch; a projection shortcut is added when it changes the shape */
    public Residual(Layer block) {
        this(block, null, false, null);
    }

    /**
     * @param block    the residual branch
     * @param shortcut the shortcut branch (its output shape must be the block's)
     */
    public Residual(Layer block, Layer shortcut) {
        this(block, shortcut, true, null);
        if (shortcut == null) {
            throw new IllegalArgumentException("shortcut is null; use Residual(block) for an automatic one");
        }
    }

    private Residual(Layer block, Layer shortcut, boolean explicitShortcut, Shape input) {
        if (block == null) {
            throw new IllegalArgumentException("the residual block is null");
        }
        this.block = block;
        this.shortcut = shortcut;
        this.explicitShortcut = explicitShortcut;
        this.input = input;
        List<Parameter> ps = new ArrayList<>();
        List<Parameter> st = new ArrayList<>();
        for (Layer l : children()) {
            ps.addAll(l.parameters());
            st.addAll(l.state());
        }
        this.parameters = List.copyOf(ps);
        this.state = List.copyOf(st);
    }

    /** @return the residual branch */
    public Layer block() {
        return block;
    }

    /** @return the shortcut's projection; null for the identity, or when unbuilt and chosen at build time */
    public Layer shortcut() {
        return shortcut;
    }

    /** @return whether the shortcut was given by the caller rather than chosen from the shapes */
    public boolean explicitShortcut() {
        return explicitShortcut;
    }

    /**
     * @param in an input shape this layer accepts
     * @return the shortcut it uses (or will use once built on {@code in}): the given or built one,
     *         else the automatic projection; null for the identity
     */
    public Layer shortcutFor(Shape in) {
        return shortcut != null ? shortcut : projection(in, block.outputShape(in));
    }

    @Override
    public List<Layer> children() {
        return shortcut == null ? List.of(block) : List.of(block, shortcut);
    }

    @Override
    public List<Shape> childInputs(Shape in) {
        return shortcut == null ? List.of(in) : List.of(in, in);
    }

    /** The block's and the shortcut's, with the projection a configured layer will build. */
    @Override
    public long parameterCount(Shape in) {
        Layer s = shortcutFor(in);
        return block.parameterCount(in) + (s == null ? 0 : s.parameterCount(in));
    }

    /** The block's and the shortcut's scratch, and the outputs (and gradients) of both kept between passes. */
    @Override
    public long scratchValues(Shape in, int capacity, boolean training) {
        long perSample = training ? 2 : 1;
        long n = block.scratchValues(in, capacity, training) + block.outputShape(in).size() * capacity * perSample;
        Layer s = shortcutFor(in);
        if (s != null) {
            n += s.scratchValues(in, capacity, training) + s.outputShape(in).size() * capacity * perSample;
        }
        return n;
    }

    @Override
    public String name() {
        return "Residual(" + block.name() + (shortcut == null ? "" : " + " + shortcut.name()) + ")";
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape out = block.outputShape(in);
        Layer s = shortcut != null ? shortcut : projection(in, out);
        if (s != null) {
            Shape so = s.outputShape(in);
            if (!so.equals(out)) {
                throw new IllegalArgumentException("the shortcut " + s.name() + " gives " + so + ", the block " + out);
            }
        }
        return out;
    }

    /**
     * The projection {@code Residual(block)} uses: none when the block keeps the shape, else a 1x1
     * convolution to the output channels with the stride that maps the input size to the output size.
     *
     * @throws IllegalArgumentException when no 1x1 convolution can do it
     */
    static Layer projection(Shape in, Shape out) {
        if (in.equals(out)) {
            return null;
        }
        if (in.rank() != 3 || out.rank() != 3) {
            throw new IllegalArgumentException("the block maps " + in + " to " + out
                    + "; an automatic projection needs (channels, height, width) on both sides (give a shortcut layer)");
        }
        for (int s = 1; s <= Math.max(in.height(), in.width()); s++) {
            if ((in.height() - 1) / s + 1 == out.height() && (in.width() - 1) / s + 1 == out.width()) {
                return new Conv(1, 1, out.channels()).stride(s);
            }
        }
        throw new IllegalArgumentException("the block maps " + in + " to " + out + ", which no strided 1x1 convolution does");
    }

    @Override
    public Layer build(Shape in, InitContext init) {
        Shape out = outputShape(in);
        Layer b = block.build(in, init);
        Layer s = shortcut != null ? shortcut : projection(in, out);
        return new Residual(b, s == null ? null : s.build(in, init), explicitShortcut, in);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public List<Parameter> state() {
        return state;
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        if (input == null) {
            throw new IllegalStateException(name() + " is not built: add it to a Sequential and call build()");
        }
        LayerContext[] cs = ctx.children(children());
        Buffers b = buffers(ctx, out.shape(), in.capacity());
        int n = in.batch();
        int len = n * out.shape().size();
        b.blockOut.batch(n);
        block.forward(in, b.blockOut, cs[0]);
        float[] y = out.data();
        float[] f = b.blockOut.data();
        if (shortcut == null) {
            float[] x = in.data();
            for (int i = 0; i < len; i++) {
                y[i] = f[i] + x[i];
            }
        } else {
            b.shortOut.batch(n);
            shortcut.forward(in, b.shortOut, cs[1]);
            float[] s = b.shortOut.data();
            for (int i = 0; i < len; i++) {
                y[i] = f[i] + s[i];
            }
        }
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        LayerContext[] cs = ctx.children(children());
        Buffers b = buffers(ctx, out.shape(), in.capacity());
        int n = in.batch();
        block.backward(in, b.blockOut, gradOut, gradIn, cs[0]);
        int len = n * input.size();
        if (shortcut == null) {
            if (gradIn != null) {
                float[] dx = gradIn.data();
                float[] dy = gradOut.data();
                for (int i = 0; i < len; i++) {
                    dx[i] += dy[i];
                }
            }
        } else {
            Tensor ds = gradIn == null ? null : b.shortGrad.batch(n);
            shortcut.backward(in, b.shortOut, gradOut, ds, cs[1]);
            if (gradIn != null) {
                float[] dx = gradIn.data();
                float[] d = ds.data();
                for (int i = 0; i < len; i++) {
                    dx[i] += d[i];
                }
            }
        }
    }

    @Override
    public long flops(Shape in) {
        Shape out = block.outputShape(in);
        return block.flops(in) + (shortcut == null ? 0 : shortcut.flops(in)) + out.size();
    }

    @Override
    public long backwardFlops(Shape in, boolean inputGradient) {
        return block.backwardFlops(in, inputGradient) + (shortcut == null ? 0 : shortcut.backwardFlops(in, inputGradient))
                + (inputGradient ? in.size() : 0);
    }

    /** The block's and the shortcut's outputs and the shortcut's input gradient, for one context. */
    private static final class Buffers {
        Tensor blockOut;
        Tensor shortOut;
        Tensor shortGrad;
        int capacity;
    }

    private Buffers buffers(LayerContext ctx, Shape out, int capacity) {
        Buffers b = ctx.object(BUFFERS, Buffers::new);
        if (b.blockOut == null || b.capacity < capacity) {
            b.blockOut = new Tensor(out, capacity);
            if (shortcut != null) {
                b.shortOut = new Tensor(out, capacity);
                b.shortGrad = new Tensor(input, capacity);
            }
            b.capacity = capacity;
        }
        return b;
    }
}
