package io.github.cnn4j.examples.cli;

import io.github.cnn4j.layer.InitContext;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A built layer with a stopwatch around its forward and backward passes, for {@code cnn4j bench}'s
 * per-layer profile. Only the benchmark creates these (with {@link #wrap}), so the library's layers
 * and {@link Sequential} carry no timing code at all: a model that is not profiled pays nothing.
 *
 * <p>Each pass costs two {@link System#nanoTime()} calls (some tens of nanoseconds) on top of the
 * layer's own work; the times are summed over all threads in {@link LongAdder}s.
 */
final class ProfiledLayer implements Layer {
    private final Layer inner;
    private final LongAdder forwardNanos = new LongAdder();
    private final LongAdder backwardNanos = new LongAdder();
    private final LongAdder forwardSamples = new LongAdder();
    private final LongAdder backwardSamples = new LongAdder();

    private ProfiledLayer(Layer inner) {
        this.inner = inner;
    }

    /**
     * A model that runs the given model's layers (the same built objects, so the same parameters and
     * state) with every layer but a final {@link Softmax} wrapped in a stopwatch; the softmax stays
     * itself so that the loss still fuses with it.
     *
     * @param model a built model
     * @param out   receives the wrappers, one per layer ({@code null} for the unwrapped softmax)
     * @return the profiled model
     */
    static Sequential wrap(Sequential model, List<ProfiledLayer> out) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (l instanceof Softmax) {
                layers.add(l);
                out.add(null);
            } else {
                ProfiledLayer p = new ProfiledLayer(l);
                layers.add(p);
                out.add(p);
            }
        }
        return Sequential.of(layers).input(model.inputShape()).seed(model.seed()).init(model.initPreset()).build();
    }

    /** @return the wrapped layer */
    Layer inner() {
        return inner;
    }

    /** Starts the counts again from zero. */
    void reset() {
        forwardNanos.reset();
        backwardNanos.reset();
        forwardSamples.reset();
        backwardSamples.reset();
    }

    long forwardNanos() {
        return forwardNanos.sum();
    }

    long backwardNanos() {
        return backwardNanos.sum();
    }

    long forwardSamples() {
        return forwardSamples.sum();
    }

    long backwardSamples() {
        return backwardSamples.sum();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Shape outputShape(Shape input) {
        return inner.outputShape(input);
    }

    /** The wrapped layer is already bound; building keeps it (and its parameters) as it is. */
    @Override
    public Layer build(Shape input, InitContext init) {
        return this;
    }

    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public List<Parameter> state() {
        return inner.state();
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        long t0 = System.nanoTime();
        inner.forward(in, out, ctx);
        forwardNanos.add(System.nanoTime() - t0);
        forwardSamples.add(in.batch());
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        long t0 = System.nanoTime();
        inner.backward(in, out, gradOut, gradIn, ctx);
        backwardNanos.add(System.nanoTime() - t0);
        backwardSamples.add(in.batch());
    }

    @Override
    public long flops(Shape input) {
        return inner.flops(input);
    }

    @Override
    public long backwardFlops(Shape input, boolean inputGradient) {
        return inner.backwardFlops(input, inputGradient);
    }
}
