package io.github.cnn4j.examples.cli;

import io.github.cnn4j.layer.InitContext;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
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
    /**
     * A stopwatch inside a composite layer ({@link Block} or {@link Residual}).
     *
     * @param path    where it is: the top-level layer's index, then the child's index at every level
     *                ({@code "3.0.1"}: layer 3's first child's second child; a residual's block is child 0,
     *                its projection child 1)
     * @param input   the inner layer's input shape
     * @param probe   the stopwatch
     */
    record Inner(String path, Shape input, ProfiledLayer probe) {
    }

    private Layer inner;
    /** Whether {@link #inner} is a composite rebuilt around stopwatches, which {@link #build} binds. */
    private boolean unbuilt;
    private final LongAdder forwardNanos = new LongAdder();
    private final LongAdder backwardNanos = new LongAdder();
    private final LongAdder forwardSamples = new LongAdder();
    private final LongAdder backwardSamples = new LongAdder();

    private ProfiledLayer(Layer inner, boolean unbuilt) {
        this.inner = inner;
        this.unbuilt = unbuilt;
    }

    /**
     * A model that runs the given model's layers (the same built objects, so the same parameters and
     * state) with every layer but a final {@link Softmax} wrapped in a stopwatch; the softmax stays
     * itself so that the loss still fuses with it. Composite layers ({@link Block}, {@link Residual})
     * are rebuilt around the same built children, each wrapped in a stopwatch of its own (at every
     * depth), so the time inside a composite is split by layer too.
     *
     * @param model a built model
     * @param out   receives the wrappers, one per layer ({@code null} for the unwrapped softmax)
     * @param inner receives the wrappers inside composite layers, parents before their children
     * @return the profiled model
     */
    static Sequential wrap(Sequential model, List<ProfiledLayer> out, List<Inner> inner) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < model.layers().size(); i++) {
            Layer l = model.layers().get(i);
            if (l instanceof Softmax) {
                layers.add(l);
                out.add(null);
            } else {
                Layer opened = open(l, String.valueOf(i), model.shapes().get(i), inner);
                ProfiledLayer p = new ProfiledLayer(opened, opened != l);
                layers.add(p);
                out.add(p);
            }
        }
        return Sequential.of(layers).input(model.inputShape()).seed(model.seed()).init(model.initPreset()).build();
    }

    /** {@link #wrap} without the stopwatches inside composites' children list. */
    static Sequential wrap(Sequential model, List<ProfiledLayer> out) {
        return wrap(model, out, new ArrayList<>());
    }

    /** @return a built composite's unbuilt copy over stopwatched children, or {@code l} itself when it is no composite */
    private static Layer open(Layer l, String path, Shape input, List<Inner> inner) {
        if (l instanceof Block b) {
            List<Shape> in = b.childInputs(input);
            List<Layer> children = new ArrayList<>();
            for (int j = 0; j < b.layers().size(); j++) {
                children.add(probe(b.layers().get(j), path + "." + j, in.get(j), inner));
            }
            return new Block(children);
        }
        if (l instanceof Residual r) {
            Layer block = probe(r.block(), path + ".0", input, inner);
            return r.shortcut() == null ? new Residual(block) : new Residual(block, probe(r.shortcut(), path + ".1", input, inner));
        }
        return l;
    }

    private static ProfiledLayer probe(Layer l, String path, Shape input, List<Inner> inner) {
        int at = inner.size();
        inner.add(null); // parents before their children
        Layer opened = open(l, path, input, inner);
        ProfiledLayer p = new ProfiledLayer(opened, opened != l);
        inner.set(at, new Inner(path, input, p));
        return p;
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

    /**
     * A wrapped leaf is already bound: building keeps it (and its parameters) as it is. A composite
     * rebuilt around stopwatched children is bound here once; its children, already built, keep their
     * parameters, and a residual's projection is the original one (given as its explicit shortcut).
     */
    @Override
    public Layer build(Shape input, InitContext init) {
        if (unbuilt) {
            inner = inner.build(input, init);
            unbuilt = false;
        }
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
