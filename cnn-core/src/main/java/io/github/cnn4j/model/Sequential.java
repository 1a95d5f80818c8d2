package io.github.cnn4j.model;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.layer.CompositeLayer;
import io.github.cnn4j.layer.InitContext;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.parallel.WorkerPool;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A network: layers applied one after another, with every shape inferred from the input shape.
 *
 * <pre>{@code
 * Sequential model = Sequential.of(
 *         new Conv(5, 5, 6), new ReLU(), new MaxPool(2),
 *         new Flatten(), new Dense(10), new Softmax())
 *     .input(1, 28, 28)
 *     .seed(555124141)
 *     .build();
 * }</pre>
 *
 * <p>A built model's structure is immutable; its parameter values change only through an optimizer
 * or a loader. Forward and backward passes run in a {@link Workspace}, one per thread, so several
 * threads may predict with one model at once. Training while other threads predict needs a
 * {@link #copy()} for the readers.
 */
public final class Sequential {
    private final List<Layer> layers;
    private final List<Shape> shapes;
    private final List<Parameter> parameters;
    private final List<Parameter> state;
    private final long seed;
    private final InitPreset preset;
    private final ThreadLocal<Workspace> single;
    /** Workspaces of {@link #predict(Dataset, int)}, kept between calls (softly: the GC may take them back). */
    private final ConcurrentLinkedQueue<SoftReference<Workspace>> predictSpaces = new ConcurrentLinkedQueue<>();

    private Sequential(List<Layer> layers, List<Shape> shapes, long seed, InitPreset preset) {
        this.layers = List.copyOf(layers);
        this.shapes = List.copyOf(shapes);
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : layers) {
            ps.addAll(l.parameters());
        }
        this.parameters = Collections.unmodifiableList(ps);
        List<Parameter> st = new ArrayList<>();
        for (Layer l : layers) {
            st.addAll(l.state());
        }
        this.state = Collections.unmodifiableList(st);
        this.seed = seed;
        this.preset = preset;
        this.single = ThreadLocal.withInitial(() -> new Workspace(this, 1));
    }

    /**
     * Starts a model from configured layers.
     *
     * @param layers the layers, input to output
     * @return a builder; set {@link Builder#input} and call {@link Builder#build()}
     */
    public static Builder of(Layer... layers) {
        return new Builder(Arrays.asList(layers));
    }

    /**
     * @param layers the layers, input to output
     * @return a builder
     */
    public static Builder of(List<? extends Layer> layers) {
        return new Builder(new ArrayList<>(layers));
    }

    /** Collects input shape, seed and initialization, then builds the model. */
    public static final class Builder {
        private final List<Layer> layers;
        private Shape input;
        private long seed = 0;
        private InitPreset preset = InitPreset.PAPER;

        private Builder(List<Layer> layers) {
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("a model needs at least one layer");
            }
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i) == null) {
                    throw new IllegalArgumentException("layer " + i + " is null");
                }
            }
            this.layers = layers;
        }

        /**
         * @param dims shape of one input sample, e.g. {@code 1, 28, 28} (channels, height, width)
         * @return this
         */
        public Builder input(int... dims) {
            this.input = Shape.of(dims);
            return this;
        }

        /**
         * @param shape shape of one input sample
         * @return this
         */
        public Builder input(Shape shape) {
            this.input = shape;
            return this;
        }

        /**
         * @param seed seeds parameter initialization (and, by default, the trainer's shuffling)
         * @return this
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param preset initializers for layers that do not set their own (default {@link InitPreset#PAPER})
         * @return this
         */
        public Builder init(InitPreset preset) {
            this.preset = preset;
            return this;
        }

        /**
         * Infers every shape, checks that the layers fit together and creates the parameters.
         *
         * @return the model
         * @throws IllegalArgumentException naming the layer index, the layer and the shapes when they do not fit
         */
        public Sequential build() {
            List<Shape> shapes = shapes();
            List<Layer> built = new ArrayList<>();
            InitContext init = new InitContext(new Rng(seed), preset);
            for (int i = 0; i < layers.size(); i++) {
                built.add(layers.get(i).build(shapes.get(i), init));
            }
            return new Sequential(built, shapes, seed, preset);
        }

        /**
         * Infers every shape and checks that the layers fit together, as {@link #build()} does, without
         * creating any parameter (see {@link MemoryCost} for what building and running would cost).
         *
         * @return the shapes between layers: element 0 is the input, element {@code i + 1} the output of layer {@code i}
         * @throws IllegalArgumentException naming the layer index, the layer and the shapes when they do not fit
         */
        public List<Shape> shapes() {
            if (input == null) {
                throw new IllegalArgumentException("no input shape: call input(channels, height, width) before build()");
            }
            return plan(layers, input);
        }

        /** @return what building this model and running it would cost, computed without building it */
        public MemoryCost cost() {
            return new MemoryCost(layers, shapes());
        }
    }

    /**
     * Infers the shapes through a list of layers: the one place where cnn4j checks that layers fit
     * together (the builder, {@link Block} and the model file readers all call it). A
     * {@link Softmax} must be the last layer of its list.
     *
     * @param layers configured or built layers, input to output
     * @param input  shape of one input sample
     * @return {@code layers.size() + 1} shapes: the input, then the output of each layer
     * @throws PlanException naming the layer's index and name, the shapes and what was expected when they do not fit
     */
    public static List<Shape> plan(List<? extends Layer> layers, Shape input) {
        List<Shape> shapes = new ArrayList<>(layers.size() + 1);
        shapes.add(input);
        Shape current = input;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof Softmax && i != layers.size() - 1) {
                throw new PlanException(i, layer.name(), "Softmax must be the last layer, but " + (layers.size() - 1 - i)
                        + " layer(s) follow it", null);
            }
            try {
                current = layer.outputShape(current);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new PlanException(i, layer.name(), "cannot take input " + current + ": " + e.getMessage(), e);
            }
            shapes.add(current);
        }
        return Collections.unmodifiableList(shapes);
    }

    /** @return the built layers, input to output */
    public List<Layer> layers() {
        return layers;
    }

    /** @return the shapes between layers: {@code shapes().get(0)} is the input, {@code get(i + 1)} the output of layer i */
    public List<Shape> shapes() {
        return shapes;
    }

    /** @return shape of one input sample */
    public Shape inputShape() {
        return shapes.get(0);
    }

    /** @return shape of one output sample */
    public Shape outputShape() {
        return shapes.get(shapes.size() - 1);
    }

    /** @return all parameters, layer by layer, in a fixed order */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * @return the parameters the trainer steps: {@link #parameters()} without the
     *         {@linkplain Parameter#frozen() frozen} ones, in the same order
     */
    public List<Parameter> trainableParameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : parameters) {
            if (!p.frozen()) {
                ps.add(p);
            }
        }
        return ps;
    }

    /**
     * Freezes or unfreezes every parameter of some layers (of a composite layer: of all its children),
     * for fine-tuning: the trainer leaves frozen parameters out of its steps, weight decay and
     * optimizer state. Batch-norm running statistics are state, not parameters: the trainer still
     * recomputes them.
     *
     * @param frozen whether to freeze
     * @param layers indices of the layers
     * @return this
     */
    public Sequential frozen(boolean frozen, int... layers) {
        for (int i : layers) {
            if (i < 0 || i >= this.layers.size()) {
                throw new IllegalArgumentException("no layer " + i + ": the model has layers 0.." + (this.layers.size() - 1));
            }
        }
        for (int i : layers) {
            for (Parameter p : this.layers.get(i).parameters()) {
                p.frozen(frozen);
            }
        }
        return this;
    }

    /**
     * A new model with the last {@code count} layers replaced by {@code head}, for fine-tuning: the
     * kept layers are copies with this model's parameter values, state and freezing; the head is
     * initialized from this model's seed and preset (as the builder would).
     *
     * <pre>{@code Sequential tuned = pretrained.replaceLast(2, new Dense(10), new Softmax()).frozen(true, 0, 1, 2);}</pre>
     *
     * @param count how many layers to drop from the end, 0 to {@code layers().size() - 1}
     * @param head  the new layers, configured
     * @return the new model
     * @throws IllegalArgumentException when the head does not fit the kept layers' output
     */
    public Sequential replaceLast(int count, Layer... head) {
        if (count < 0 || count >= layers.size()) {
            throw new IllegalArgumentException("can replace 0.." + (layers.size() - 1) + " layers, asked for " + count);
        }
        int keep = layers.size() - count;
        List<Layer> all = new ArrayList<>(layers.subList(0, keep));
        all.addAll(Arrays.asList(head));
        Sequential m = Sequential.of(all).input(inputShape()).seed(seed).init(preset).build();
        for (int i = 0; i < keep; i++) {
            copyValues(layers.get(i).parameters(), m.layers.get(i).parameters());
            copyValues(layers.get(i).state(), m.layers.get(i).state());
        }
        return m;
    }

    /**
     * This model's layers as one configured {@link Block}, to nest in another model. Building it
     * initializes new parameters; to keep trained ones use {@link #replaceLast}.
     *
     * @return a block of the same layers
     */
    public Block asBlock() {
        return new Block(layers);
    }

    private static void copyValues(List<Parameter> from, List<Parameter> to) {
        for (int j = 0; j < from.size(); j++) {
            to.get(j).set(from.get(j).value());
            to.get(j).frozen(from.get(j).frozen());
        }
    }

    /**
     * @return the non-trainable state of all layers (batch normalization's running statistics),
     *         layer by layer, in a fixed order; empty for models without such layers
     */
    public List<Parameter> state() {
        return state;
    }

    /** @return total number of trainable values */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.size();
        }
        return n;
    }

    /** @return the seed the parameters were initialized from */
    public long seed() {
        return seed;
    }

    /** @return the initialization preset used */
    public InitPreset initPreset() {
        return preset;
    }

    /** @return floating-point operations of one forward pass of one sample */
    public long flops() {
        long f = 0;
        for (int i = 0; i < layers.size(); i++) {
            f += layers.get(i).flops(shapes.get(i));
        }
        return f;
    }

    /**
     * @return floating-point operations of one training backward pass of one sample (no gradient
     *         w.r.t. the model input; see {@link Layer#backwardFlops})
     */
    public long backwardFlops() {
        long f = 0;
        for (int i = 0; i < layers.size(); i++) {
            f += layers.get(i).backwardFlops(shapes.get(i), i > 0);
        }
        return f;
    }

    /** @return floating-point operations of one training step of one sample: {@link #flops()} + {@link #backwardFlops()} */
    public long trainingFlops() {
        return flops() + backwardFlops();
    }

    /**
     * @param capacity the largest batch it must hold
     * @return a new workspace for one thread
     */
    public Workspace newWorkspace(int capacity) {
        return new Workspace(this, capacity);
    }

    /**
     * Runs the forward pass on the first {@code n} samples of {@code ws.input()}.
     *
     * @param ws       the workspace (its input is read, activations written)
     * @param n        batch size, at most the workspace capacity
     * @param training whether layers should behave as in training
     * @return the output tensor (owned by {@code ws})
     */
    public Tensor forward(Workspace ws, int n, boolean training) {
        ws.activations[0].batch(n);
        for (int i = 0; i < layers.size(); i++) {
            ws.activations[i + 1].batch(n);
            ws.contexts[i].training(training);
            layers.get(i).forward(ws.activations[i], ws.activations[i + 1], ws.contexts[i]);
        }
        return ws.activations[layers.size()];
    }

    /**
     * Back-propagates the loss of the last forward pass in {@code ws}; parameter gradients are
     * accumulated into the workspace's gradient buffers (the parameters' own by default).
     *
     * @param ws            the workspace of the forward pass; labels are read from {@code ws.labels()}
     * @param loss          the loss
     * @param inputGradient whether to also compute the gradient w.r.t. the input ({@link Workspace#inputGradient()})
     * @return the SUM of the per-sample losses of the batch
     */
    public double backward(Workspace ws, Loss loss, boolean inputGradient) {
        int last = layers.size() - 1;
        Tensor out = ws.activations[last + 1];
        int n = out.batch();
        ws.ensureGradients();
        double total = loss.loss(out, ws.labels, 0);
        int start;
        if (loss.fusesWithSoftmax() && layers.get(last) instanceof Softmax) {
            Tensor g = ws.gradients[last];
            if (g == null) {
                ws.ensureInputGradient();
                g = ws.gradients[0];
            }
            g.batch(n);
            loss.softmaxInputGradient(out, ws.labels, 0, g);
            start = last - 1;
        } else {
            ws.gradients[last + 1].batch(n);
            loss.gradient(out, ws.labels, 0, ws.gradients[last + 1]);
            start = last;
        }
        if (inputGradient) {
            ws.ensureInputGradient();
        }
        for (int i = start; i >= 0; i--) {
            Tensor gradIn = ws.gradients[i];
            if (i == 0 && !inputGradient) {
                gradIn = null;
            }
            if (gradIn != null) {
                gradIn.batch(n);
            }
            layers.get(i).backward(ws.activations[i], ws.activations[i + 1], ws.gradients[i + 1], gradIn, ws.contexts[i]);
        }
        return total;
    }

    /**
     * Predicts one sample. Thread-safe: each calling thread uses its own workspace.
     *
     * @param sample {@code inputShape().size()} values (for MNIST: 784 pixels scaled to [0, 1])
     * @return a new array of the model's outputs (class probabilities when the model ends in Softmax)
     */
    public float[] predict(float[] sample) {
        if (sample.length != inputShape().size()) {
            throw new IllegalArgumentException("expected " + inputShape().size() + " input values for shape " + inputShape()
                    + ", got " + sample.length);
        }
        Workspace ws = single.get();
        System.arraycopy(sample, 0, ws.input().data(), 0, sample.length);
        Tensor out = forward(ws, 1, false);
        return Arrays.copyOf(out.data(), outputShape().size());
    }

    /**
     * @param sample one input sample
     * @return the index of the largest output (the predicted class)
     */
    public int classify(float[] sample) {
        return argmax(predict(sample), 0, outputShape().size());
    }

    /**
     * Predicts every sample of a dataset, in parallel batches.
     *
     * @param data    the samples
     * @param threads worker threads, at least 1
     * @return {@code data.size() x outputShape().size()} outputs, sample after sample
     */
    public float[] predict(Dataset data, int threads) {
        if (!data.shape().equals(inputShape())) {
            throw new IllegalArgumentException("dataset samples have shape " + data.shape() + ", the model expects " + inputShape());
        }
        final int batch = PREDICT_BATCH;
        int k = outputShape().size();
        float[] out = new float[data.size() * k];
        int tasks = (data.size() + batch - 1) / batch;
        try (WorkerPool pool = new WorkerPool(Math.max(1, Math.min(threads, tasks)))) {
            Workspace[] spaces = new Workspace[pool.threads()];
            try {
                pool.run(tasks, (worker, task) -> {
                    Workspace ws = spaces[worker];
                    if (ws == null) {
                        ws = predictWorkspace();
                        spaces[worker] = ws;
                    }
                    int end = Math.min(data.size(), (task + 1) * batch);
                    for (int from = task * batch; from < end; from += PREDICT_MICRO) {
                        int n = Math.min(PREDICT_MICRO, end - from);
                        data.copyBatch(from, n, ws.input().data(), ws.labels());
                        Tensor y = forward(ws, n, false);
                        System.arraycopy(y.data(), 0, out, from * k, n * k);
                    }
                });
            } finally {
                for (Workspace ws : spaces) {
                    if (ws != null) {
                        predictSpaces.offer(new SoftReference<>(ws));
                    }
                }
            }
        }
        return out;
    }

    /** Samples per task of {@link #predict(Dataset, int)}: the unit of work of one thread. */
    static final int PREDICT_BATCH = 250;
    /**
     * Samples per forward pass in {@link #predict(Dataset, int)}: small batches keep the activations in
     * the core's cache (measured per image on model B: batch 8 12.5 us, 16 14.1 us, 250 16.0 us); a
     * sample's outputs do not depend on the batch it is in.
     */
    static final int PREDICT_MICRO = 8;

    private Workspace predictWorkspace() {
        for (SoftReference<Workspace> r = predictSpaces.poll(); r != null; r = predictSpaces.poll()) {
            Workspace ws = r.get();
            if (ws != null) {
                return ws;
            }
        }
        return newWorkspace(PREDICT_MICRO);
    }

    /**
     * A deep copy: same layers and shapes, parameter values copied. Use it as a snapshot that other
     * threads can predict with while this model keeps training.
     *
     * @return the copy
     */
    public Sequential copy() {
        List<Layer> built = new ArrayList<>();
        InitContext init = new InitContext(new Rng(seed), preset);
        for (int i = 0; i < layers.size(); i++) {
            built.add(layers.get(i).build(shapes.get(i), init));
        }
        Sequential c = new Sequential(built, shapes, seed, preset);
        c.copyParametersFrom(this);
        for (int i = 0; i < parameters.size(); i++) {
            c.parameters.get(i).frozen(parameters.get(i).frozen());
        }
        return c;
    }

    /**
     * Copies all parameter values (and the non-trainable {@link #state()}) from a model of the same structure.
     *
     * @param other the source
     */
    public void copyParametersFrom(Sequential other) {
        if (other.parameters.size() != parameters.size()) {
            throw new IllegalArgumentException("models differ: " + other.parameters.size() + " vs " + parameters.size() + " parameters");
        }
        if (other.state.size() != state.size()) {
            throw new IllegalArgumentException("models differ: " + other.state.size() + " vs " + state.size() + " state arrays");
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter src = other.parameters.get(i);
            Parameter dst = parameters.get(i);
            if (!src.shape().equals(dst.shape())) {
                throw new IllegalArgumentException("parameter " + i + " has shape " + src.shape() + ", expected " + dst.shape());
            }
            dst.set(src.value());
        }
        for (int i = 0; i < state.size(); i++) {
            state.get(i).set(other.state.get(i).value());
        }
    }

    /**
     * @param values row-major array
     * @param off    offset of the row
     * @param n      row length
     * @return index of the largest value (the first one on ties)
     */
    public static int argmax(float[] values, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (values[off + j] > values[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * @return a table of layers, output shapes, parameter counts and totals; the children of a
     *         composite layer follow it, indented and numbered {@code i.j}, and a layer whose
     *         parameters are all frozen is marked
     */
    public String summary() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            summaryRows(rows, String.valueOf(i), "", layers.get(i), shapes.get(i));
        }
        int w = 4;
        for (String[] r : rows) {
            w = Math.max(w, r[0].length() + 1);
        }
        String fmt = "%-" + w + "s %-34s %-16s %10s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "#", "Layer", "Output shape", "Params"));
        sb.append(String.format(Locale.ROOT, fmt, "", "Input", shapes.get(0), ""));
        for (String[] r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, (Object[]) r));
        }
        sb.append(String.format(Locale.ROOT, "Total parameters: %,d   Forward FLOPs per sample: %,d%n", parameterCount(), flops()));
        return sb.toString();
    }

    /** One row per layer; a composite layer's children follow it, indented, numbered {@code i.j}. */
    private static void summaryRows(List<String[]> rows, String index, String indent, Layer layer, Shape input) {
        long p = 0;
        for (Parameter q : layer.parameters()) {
            p += q.size();
        }
        boolean frozen = !layer.parameters().isEmpty() && layer.parameters().stream().allMatch(Parameter::frozen);
        String name = indent + (layer instanceof CompositeLayer ? layer.getClass().getSimpleName() : layer.name());
        rows.add(new String[] {index, name, layer.outputShape(input).toString(),
                String.format(Locale.ROOT, "%,d", p) + (frozen ? " (frozen)" : "")});
        if (layer instanceof CompositeLayer c) {
            List<Shape> inputs = c.childInputs(input);
            for (int j = 0; j < c.children().size(); j++) {
                summaryRows(rows, index + "." + j, indent + "  ", c.children().get(j), inputs.get(j));
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential[");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(layers.get(i).name());
        }
        return sb.append("]").toString();
    }
}
