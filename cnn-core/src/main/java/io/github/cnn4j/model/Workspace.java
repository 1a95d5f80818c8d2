package io.github.cnn4j.model;

import io.github.cnn4j.layer.Gradients;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.tensor.Tensor;

/**
 * Everything one thread needs to run a model on batches of up to {@link #capacity()} samples: the
 * activations between layers, their gradients, each layer's {@link LayerContext} and a label buffer.
 * Allocated once and reused, so steady-state passes allocate nothing. Not thread-safe: one thread
 * uses a workspace at a time.
 */
public final class Workspace {
    final Tensor[] activations;
    final Tensor[] gradients;
    final LayerContext[] contexts;
    final int[] paramOffsets;
    final int[] labels;
    final long[] noiseSeeds;
    private final int capacity;
    private Gradients current;

    /** @throws MemoryBudgetException when the workspace would not fit in the {@link MemoryBudget} (checked before allocating) */
    Workspace(Sequential model, int capacity) {
        MemoryBudget.current().require("a workspace of " + capacity + " sample(s) for " + model.layers().size() + " layers",
                MemoryCost.of(model).workspaceBytes(capacity, false), "activations and layer scratch");
        int n = model.layers().size();
        this.capacity = capacity;
        this.activations = new Tensor[n + 1];
        this.gradients = new Tensor[n + 1];
        this.contexts = new LayerContext[n];
        this.paramOffsets = new int[n];
        this.labels = new int[capacity];
        this.noiseSeeds = new long[capacity];
        for (int k = 0; k < capacity; k++) {
            noiseSeeds[k] = k;
        }
        activations[0] = new Tensor(model.inputShape(), capacity);
        int offset = 0;
        for (int i = 0; i < n; i++) {
            activations[i + 1] = new Tensor(model.shapes().get(i + 1), capacity);
            contexts[i] = new LayerContext(model.layers().get(i).parameters());
            contexts[i].noise(noiseSeeds, i);
            paramOffsets[i] = offset;
            offset += model.layers().get(i).parameters().size();
        }
        // The gradients are created by the first backward pass (a workspace used only to predict
        // never needs them); gradients[0] (w.r.t. the input) only on request.
    }

    /** @return the largest batch this workspace holds */
    public int capacity() {
        return capacity;
    }

    /**
     * Directs all parameter gradients of backward passes in this workspace to {@code g}.
     *
     * @param g buffers for the model's parameters, in {@link Sequential#parameters()} order
     */
    public void gradients(Gradients g) {
        if (g == current) {
            return;
        }
        current = g;
        for (int i = 0; i < contexts.length; i++) {
            contexts[i].gradients(g, paramOffsets[i]);
        }
    }

    /** @return the input tensor (fill it, then call {@link Sequential#forward(Workspace, int, boolean)}) */
    public Tensor input() {
        return activations[0];
    }

    /** @return the output tensor of the last forward pass */
    public Tensor output() {
        return activations[activations.length - 1];
    }

    /**
     * Per-sample noise seeds for layers that draw random numbers in training passes (dropout):
     * layer {@code i} draws sample {@code k}'s noise from {@code Seeds.mix(noiseSeeds()[k], i)}. The
     * trainer fills them from (seed, epoch, position in the epoch) before every pass; they start as
     * {@code 0, 1, 2, ...}.
     *
     * @return the seed buffer (live; {@link #capacity()} entries)
     */
    public long[] noiseSeeds() {
        return noiseSeeds;
    }

    /** @return the label buffer used by {@link Sequential#backward} */
    public int[] labels() {
        return labels;
    }

    /**
     * @param layer layer index
     * @return the output of that layer in the last forward pass
     */
    public Tensor activation(int layer) {
        return activations[layer + 1];
    }

    /** @return the gradient w.r.t. the model input from the last backward pass that asked for it, or null */
    public Tensor inputGradient() {
        return gradients[0];
    }

    void ensureGradients() {
        if (gradients.length > 1 && gradients[1] == null) {
            for (int i = 1; i < gradients.length; i++) {
                gradients[i] = new Tensor(activations[i].shape(), capacity);
            }
        }
    }

    void ensureInputGradient() {
        if (gradients[0] == null) {
            gradients[0] = new Tensor(activations[0].shape(), capacity);
        }
    }
}
