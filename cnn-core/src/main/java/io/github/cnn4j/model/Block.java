package io.github.cnn4j.model;

import io.github.cnn4j.layer.CompositeLayer;
import io.github.cnn4j.layer.InitContext;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sequence of layers used as one layer: a {@link Sequential} nested inside another network (a
 * residual block's body, a stage of a network, a trained feature extractor from
 * {@link Sequential#asBlock()}). Its shapes are inferred by {@link Sequential#plan}, like a model's.
 *
 * <pre>{@code
 * Layer body = new Block(new Conv(3, 3, 16).padding(1), new BatchNorm(), new ReLU(),
 *                        new Conv(3, 3, 16).padding(1), new BatchNorm());
 * Sequential model = Sequential.of(new Conv(3, 3, 16).padding(1), new Residual(body), new ReLU(),
 *                                  new GlobalAvgPool(), new Dense(10), new Softmax()).input(1, 28, 28).build();
 * }</pre>
 *
 * <p>The activations and gradients between its layers live in its {@link LayerContext} (allocated
 * on the first pass for the context's batch capacity, then reused), its children's contexts are
 * the context's {@link LayerContext#children(List) children}, and its parameters are its layers',
 * in order.
 */
public final class Block implements CompositeLayer {
    /** Scratch name of the activation buffers kept between the children. */
    private static final String BUFFERS = "buffers";

    private final List<Layer> layers;
    /** Input of each layer, then the output; null until built. */
    private final List<Shape> shapes;
    private final List<Parameter> parameters;
    private final List<Parameter> state;

    /** @param layers the layers, input to output (at least one) */
    public Block(Layer... layers) {
        this(Arrays.asList(layers), null);
    }

    /** @param layers the layers, input to output (at least one) */
    public Block(List<? extends Layer> layers) {
        this(layers, null);
    }

    private Block(List<? extends Layer> layers, List<Shape> shapes) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a block needs at least one layer");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == null) {
                throw new IllegalArgumentException("block layer " + i + " is null");
            }
        }
        this.layers = List.copyOf(layers);
        this.shapes = shapes == null ? null : List.copyOf(shapes);
        List<Parameter> ps = new ArrayList<>();
        List<Parameter> st = new ArrayList<>();
        for (Layer l : this.layers) {
            ps.addAll(l.parameters());
            st.addAll(l.state());
        }
        this.parameters = List.copyOf(ps);
        this.state = List.copyOf(st);
    }

    /** @return the layers, input to output */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public List<Layer> children() {
        return layers;
    }

    @Override
    public List<Shape> childInputs(Shape input) {
        return Sequential.plan(layers, input).subList(0, layers.size());
    }

    @Override
    public String name() {
        StringBuilder sb = new StringBuilder("Block[");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(layers.get(i).name());
        }
        return sb.append(']').toString();
    }

    @Override
    public Shape outputShape(Shape input) {
        List<Shape> s = Sequential.plan(layers, input);
        return s.get(s.size() - 1);
    }

    @Override
    public Layer build(Shape input, InitContext init) {
        List<Shape> s = Sequential.plan(layers, input);
        List<Layer> built = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            built.add(layers.get(i).build(s.get(i), init));
        }
        return new Block(built, s);
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
        if (shapes == null) {
            throw new IllegalStateException(name() + " is not built: add it to a Sequential and call build()");
        }
        LayerContext[] cs = ctx.children(layers);
        Tensor[] acts = buffers(ctx, in.capacity()).acts;
        int n = in.batch();
        int last = layers.size() - 1;
        for (int i = 0; i <= last; i++) {
            Tensor x = i == 0 ? in : acts[i];
            Tensor y = i == last ? out : acts[i + 1].batch(n);
            layers.get(i).forward(x, y, cs[i]);
        }
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        LayerContext[] cs = ctx.children(layers);
        Buffers b = buffers(ctx, in.capacity());
        int n = in.batch();
        int last = layers.size() - 1;
        for (int i = last; i >= 0; i--) {
            Tensor x = i == 0 ? in : b.acts[i];
            Tensor y = i == last ? out : b.acts[i + 1];
            Tensor dy = i == last ? gradOut : b.grads[i + 1];
            Tensor dx = i == 0 ? gradIn : b.grads[i].batch(n);
            layers.get(i).backward(x, y, dy, dx, cs[i]);
        }
    }

    @Override
    public long flops(Shape input) {
        List<Shape> s = Sequential.plan(layers, input);
        long f = 0;
        for (int i = 0; i < layers.size(); i++) {
            f += layers.get(i).flops(s.get(i));
        }
        return f;
    }

    @Override
    public long backwardFlops(Shape input, boolean inputGradient) {
        List<Shape> s = Sequential.plan(layers, input);
        long f = 0;
        for (int i = 0; i < layers.size(); i++) {
            f += layers.get(i).backwardFlops(s.get(i), i > 0 || inputGradient);
        }
        return f;
    }

    /** The tensors between the layers, for one context; index i is the input of layer i (0 unused). */
    private static final class Buffers {
        Tensor[] acts;
        Tensor[] grads;
        int capacity;
    }

    private Buffers buffers(LayerContext ctx, int capacity) {
        Buffers b = ctx.object(BUFFERS, Buffers::new);
        if (b.acts == null || b.capacity < capacity) {
            b.acts = new Tensor[layers.size()];
            b.grads = new Tensor[layers.size()];
            for (int i = 1; i < layers.size(); i++) {
                b.acts[i] = new Tensor(shapes.get(i), capacity);
                b.grads[i] = new Tensor(shapes.get(i), capacity);
            }
            b.capacity = capacity;
        }
        return b;
    }
}
