package io.github.cnn4j.io.json;

import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A config in the paper's JSON format: training settings plus the architecture, which is always
 * input 1 x 28 x 28, then per conv layer {@code Conv(k, k, count).padding(p), ReLU, MaxPool(pool)},
 * then {@code Flatten}, per fully connected layer {@code Dense(n), Sigmoid}, then
 * {@code Dense(10), Softmax}.
 *
 * @param training            seed, learning rate, epochs, output file stem
 * @param convolutionalLayers at least one conv block
 * @param hiddenLayers        node counts of the sigmoid hidden layers (may be empty)
 */
public record PaperConfig(TrainingSettings training, List<PaperConvLayer> convolutionalLayers, List<Integer> hiddenLayers) {
    /** The input shape of every paper model. */
    public static final Shape INPUT = Shape.of(1, 28, 28);
    /** The output classes of every paper model. */
    public static final int CLASSES = 10;

    /** Validates and copies the lists. */
    public PaperConfig {
        if (training == null) {
            throw new IllegalArgumentException("training settings are required");
        }
        convolutionalLayers = List.copyOf(convolutionalLayers);
        hiddenLayers = List.copyOf(hiddenLayers);
        if (convolutionalLayers.isEmpty()) {
            throw new IllegalArgumentException("the paper's architecture needs at least one convolutional layer");
        }
        for (int n : hiddenLayers) {
            if (n < 1) {
                throw new IllegalArgumentException("a fully connected layer needs node_count >= 1, got " + n);
            }
        }
    }

    /**
     * @return the configured layers, input to output (not built)
     */
    public List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        for (PaperConvLayer c : convolutionalLayers) {
            layers.add(new Conv(c.kernelDim(), c.kernelDim(), c.kernelCount()).padding(c.padding()));
            layers.add(new ReLU());
            layers.add(new MaxPool(c.poolingDim()));
        }
        layers.add(new Flatten());
        for (int n : hiddenLayers) {
            layers.add(new Dense(n));
            layers.add(new Sigmoid());
        }
        layers.add(new Dense(CLASSES));
        layers.add(new Softmax());
        return layers;
    }

    /**
     * Builds a freshly initialized model: PAPER init preset, seeded with {@code training().seed()}.
     *
     * @return the model
     * @throws IllegalArgumentException when the layers do not fit (e.g. a kernel larger than its input)
     */
    public Sequential buildModel() {
        return Sequential.of(layers()).input(INPUT).seed(training.seed()).init(InitPreset.PAPER).build();
    }

    /**
     * Describes a model in the paper's terms.
     *
     * @param model    a model of the paper's architecture family (see the class description)
     * @param training the settings to store with it
     * @return its config
     * @throws IllegalArgumentException naming the first layer that the paper's format cannot express
     */
    public static PaperConfig of(Sequential model, TrainingSettings training) {
        if (!model.inputShape().equals(INPUT)) {
            throw new IllegalArgumentException("the paper's format holds models of input " + INPUT + ", this one takes " + model.inputShape());
        }
        List<Layer> ls = model.layers();
        List<PaperConvLayer> convs = new ArrayList<>();
        List<Integer> hidden = new ArrayList<>();
        int i = 0;
        while (i < ls.size() && ls.get(i) instanceof Conv c) {
            if (c.kernelHeight() != c.kernelWidth()) {
                throw notPaper(ls, i, "square kernels only");
            }
            if (i + 1 >= ls.size() || !(ls.get(i + 1) instanceof ReLU)) {
                throw notPaper(ls, i + 1, "ReLU after every Conv");
            }
            if (i + 2 >= ls.size() || !(ls.get(i + 2) instanceof MaxPool pool)) {
                throw notPaper(ls, i + 2, "MaxPool after every Conv and ReLU");
            }
            convs.add(new PaperConvLayer(c.filters(), c.kernelHeight(), c.padding(), pool.size()));
            i += 3;
        }
        if (convs.isEmpty()) {
            throw notPaper(ls, 0, "a Conv first");
        }
        if (i >= ls.size() || !(ls.get(i) instanceof Flatten)) {
            throw notPaper(ls, i, "Flatten after the conv blocks");
        }
        i++;
        while (i + 2 < ls.size() && ls.get(i) instanceof Dense d && ls.get(i + 1) instanceof Sigmoid) {
            hidden.add(d.units());
            i += 2;
        }
        if (i + 2 != ls.size() || !(ls.get(i) instanceof Dense out) || !(ls.get(i + 1) instanceof Softmax)) {
            throw notPaper(ls, i, "sigmoid hidden layers, then Dense(" + CLASSES + ") and Softmax last");
        }
        if (out.units() != CLASSES) {
            throw notPaper(ls, i, "an output layer of " + CLASSES + " units");
        }
        return new PaperConfig(training, convs, hidden);
    }

    private static IllegalArgumentException notPaper(List<Layer> ls, int i, String expected) {
        String found = i < ls.size() ? "layer " + i + " is " + ls.get(i).name() : "the model ends after " + ls.size() + " layers";
        return new IllegalArgumentException("the model is not of the paper's architecture (expected " + expected + "): " + found);
    }
}
