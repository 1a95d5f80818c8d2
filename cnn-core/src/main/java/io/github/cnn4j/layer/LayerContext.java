package io.github.cnn4j.layer;

import io.github.cnn4j.random.Seeds;
import java.util.List;
import java.util.function.Supplier;
import org.ejml.data.FMatrixRMaj;

/**
 * Per-thread state of one layer: reusable scratch buffers (pooling switches, padded inputs), the
 * gradient buffers its backward pass accumulates into, and whether the pass is training.
 *
 * <p>Scratch buffers have names ({@code ctx.ints("switches", n)}); they are allocated on first use
 * and reused, so steady-state passes allocate nothing. A context belongs to one thread at a time.
 */
public final class LayerContext {
    private final List<Parameter> parameters;
    /** Scratch buffers by name: a layer has a handful, so a linear scan (names are constants: {@code ==} first). */
    private String[] names = new String[4];
    private Object[] buffers = new Object[4];
    private int count;
    private Gradients gradients;
    private int gradientOffset;
    private boolean training;
    private long[] noiseSeeds;
    private long noiseSalt;
    private boolean statistics;
    private LayerContext[] children;

    /**
     * A context whose gradients go to the parameters' own gradient arrays.
     *
     * @param parameters the layer's parameters
     */
    public LayerContext(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
        this.gradients = Gradients.shared(this.parameters);
        this.gradientOffset = 0;
    }

    /**
     * Redirects gradient accumulation to a model-wide buffer set.
     *
     * @param all    gradient buffers of the whole model
     * @param offset index in {@code all} of this layer's first parameter
     */
    public void gradients(Gradients all, int offset) {
        for (int i = 0; i < parameters.size(); i++) {
            if (all.parameters().get(offset + i) != parameters.get(i)) {
                throw new IllegalArgumentException("gradient buffers do not match this layer's parameters at " + (offset + i));
            }
        }
        this.gradients = all;
        this.gradientOffset = offset;
        if (children != null) {
            int o = offset;
            for (LayerContext c : children) {
                c.gradients(all, o);
                o += c.parameters.size();
            }
        }
    }

    /** @return whether this pass is a training pass (dropout and the like behave differently) */
    public boolean training() {
        return training;
    }

    /** @param training whether the next passes are training passes */
    public void training(boolean training) {
        this.training = training;
        if (children != null) {
            for (LayerContext c : children) {
                c.training(training);
            }
        }
    }

    /**
     * @return whether this pass collects batch-normalization statistics (see
     *         {@code BatchNormStatistics}): batch-norm layers then normalize with their batch's
     *         statistics and record their input's per-channel sums, every other layer runs as in inference
     */
    public boolean statistics() {
        return statistics;
    }

    /** @param statistics whether the next passes collect batch-normalization statistics */
    public void statistics(boolean statistics) {
        this.statistics = statistics;
        if (children != null) {
            for (LayerContext c : children) {
                c.statistics(statistics);
            }
        }
    }

    /**
     * The contexts of a composite layer's children, created on first use and then reused. They follow
     * this context: their gradients go to this context's buffers (at the children's offsets, in the
     * order of the composite's {@link Layer#parameters()}, which must be the children's in order), and
     * the training flag, statistics flag and noise seeds set here reach them; child {@code i} draws its
     * noise with salt {@code Seeds.mix(salt, i + 1)}.
     *
     * @param layers the composite's children, always the same list
     * @return one context per child
     */
    public LayerContext[] children(List<? extends Layer> layers) {
        if (children == null) {
            LayerContext[] cs = new LayerContext[layers.size()];
            int total = 0;
            for (int i = 0; i < cs.length; i++) {
                cs[i] = new LayerContext(layers.get(i).parameters());
                total += cs[i].parameters.size();
            }
            if (total != parameters.size()) {
                throw new IllegalArgumentException("the children have " + total + " parameters, the composite " + parameters.size());
            }
            children = cs;
            gradients(gradients, gradientOffset);
            training(training);
            statistics(statistics);
            noise(noiseSeeds, noiseSalt);
        } else if (children.length != layers.size()) {
            throw new IllegalArgumentException("this context has " + children.length + " children, asked for " + layers.size());
        }
        return children;
    }

    /** @return the children's contexts created by {@link #children(List)}, or an empty array */
    public LayerContext[] children() {
        return children == null ? new LayerContext[0] : children.clone();
    }

    /**
     * Connects this context to per-sample noise seeds (a {@code Workspace} does this for each of its
     * layers, with the layer index as salt).
     *
     * @param sampleSeeds one seed per sample of the batch, filled by whoever runs the pass (kept, not copied)
     * @param salt        distinguishes this layer's noise from other layers' noise for the same sample
     */
    public void noise(long[] sampleSeeds, long salt) {
        this.noiseSeeds = sampleSeeds;
        this.noiseSalt = salt;
        if (children != null) {
            for (int i = 0; i < children.length; i++) {
                children[i].noise(sampleSeeds, Seeds.mix(salt, i + 1));
            }
        }
    }

    /**
     * The seed from which a layer draws the random numbers (dropout mask and the like) of one sample
     * in a training pass. It depends only on the sample's seed and this layer's salt, never on the
     * thread, so masks are the same for any number of threads.
     *
     * @param sample index of the sample in the current batch
     * @return a seed for that sample and this layer ({@code Seeds.mix(sampleSeed, salt)}; with no
     *         seeds connected, the sample index stands in for the sample's seed)
     */
    public long noiseSeed(int sample) {
        long s = noiseSeeds == null ? sample : noiseSeeds[sample];
        return Seeds.mix(s, noiseSalt);
    }

    /**
     * A reusable float scratch array, by name.
     *
     * @param name      what the array holds, for example {@code "switches"}; a name always holds one kind of buffer
     * @param minLength the least length needed
     * @return an array of at least {@code minLength} (contents unspecified; the same array as the last
     *         call with this name unless it had to grow)
     */
    public float[] floats(String name, int minLength) {
        int i = find(name);
        float[] a = i < 0 ? null : cast(buffers[i], float[].class, name);
        if (a == null || a.length < minLength) {
            a = new float[minLength];
            put(i, name, a);
        }
        return a;
    }

    /**
     * A reusable int scratch array, by name.
     *
     * @param name      what the array holds; a name always holds one kind of buffer
     * @param minLength the least length needed
     * @return an array of at least {@code minLength} (contents unspecified)
     */
    public int[] ints(String name, int minLength) {
        int i = find(name);
        int[] a = i < 0 ? null : cast(buffers[i], int[].class, name);
        if (a == null || a.length < minLength) {
            a = new int[minLength];
            put(i, name, a);
        }
        return a;
    }

    /**
     * A reusable scratch object (for example a kernel's buffer set), created on first use.
     *
     * @param name   what it is; a name always holds one type
     * @param create makes the object the first time
     * @param <T>    its type
     * @return the object of that name
     */
    @SuppressWarnings("unchecked")
    public <T> T object(String name, Supplier<? extends T> create) {
        int i = find(name);
        if (i >= 0) {
            return (T) buffers[i];
        }
        T o = create.get();
        put(-1, name, o);
        return o;
    }

    /**
     * @deprecated numbered slots are kept for layers written against them; use the named
     *     {@link #floats(String, int)}
     * @param slot      which array, 0 to 3
     * @param minLength the least length needed
     * @return {@code floats("slot " + slot, minLength)}
     */
    @Deprecated
    public float[] floats(int slot, int minLength) {
        return floats(SLOT_NAMES[slot], minLength);
    }

    /**
     * @deprecated see {@link #floats(int, int)}; use {@link #ints(String, int)}
     * @param slot      which array, 0 to 3
     * @param minLength the least length needed
     * @return {@code ints("slot " + slot + " ints", minLength)}
     */
    @Deprecated
    public int[] ints(int slot, int minLength) {
        return ints(SLOT_NAMES[slot + 4], minLength);
    }

    /**
     * @deprecated see {@link #floats(int, int)}; use {@link #object(String, Supplier)}
     * @param slot   which object, 0 to 3
     * @param create makes the object the first time
     * @param <T>    its type
     * @return the object of that slot
     */
    @Deprecated
    public <T> T object(int slot, Supplier<? extends T> create) {
        return object(SLOT_NAMES[slot + 8], create);
    }

    private static final String[] SLOT_NAMES = {"slot 0", "slot 1", "slot 2", "slot 3", "int slot 0", "int slot 1", "int slot 2",
        "int slot 3", "object slot 0", "object slot 1", "object slot 2", "object slot 3"};

    private int find(String name) {
        for (int i = 0; i < count; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private void put(int index, String name, Object buffer) {
        if (index >= 0) {
            buffers[index] = buffer;
            return;
        }
        if (count == names.length) {
            names = java.util.Arrays.copyOf(names, 2 * count);
            buffers = java.util.Arrays.copyOf(buffers, 2 * count);
        }
        names[count] = name;
        buffers[count++] = buffer;
    }

    private static <T> T cast(Object o, Class<T> type, String name) {
        if (!type.isInstance(o)) {
            throw new IllegalStateException("scratch buffer '" + name + "' holds a " + o.getClass().getSimpleName() + ", not a "
                    + type.getSimpleName());
        }
        return type.cast(o);
    }

    /**
     * @param p one of this layer's parameters
     * @return the array its gradient accumulates into in this context
     */
    public float[] gradient(Parameter p) {
        return gradients.array(gradientOffset + indexOf(p));
    }

    /**
     * @param p one of this layer's parameters
     * @return the matrix its gradient accumulates into in this context
     */
    public FMatrixRMaj gradientMatrix(Parameter p) {
        return gradients.matrix(gradientOffset + indexOf(p));
    }

    private int indexOf(Parameter p) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i) == p) {
                return i;
            }
        }
        throw new IllegalArgumentException(p + " is not a parameter of this layer");
    }
}
