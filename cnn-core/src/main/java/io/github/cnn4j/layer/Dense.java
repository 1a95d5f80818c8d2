package io.github.cnn4j.layer;

import io.github.cnn4j.init.Initializer;
import io.github.cnn4j.kernel.DenseKernels;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.List;

/**
 * Fully connected layer {@code z = x W + b}, computed by {@link DenseKernels}. The weight layout is
 * {@code [input][unit]}, the same as the paper's model files.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input: {@code (I)} (use {@link Flatten} first for images)</li>
 *   <li>weight: {@code (I, U)}, bias: {@code (U)}</li>
 *   <li>output: {@code (U)}</li>
 * </ul>
 *
 * <h2>Backward</h2>
 * {@code dW += x^T dz}, {@code db += sum over the batch of dz}, {@code dx = dz W^T}, one sample at a
 * time in one fused loop that reads each weight row once for both products.
 */
public final class Dense implements Layer {
    private final int units;
    private final Initializer weightInit;
    private final Initializer biasInit;
    private final Shape input;
    private final Parameter weight;
    private final Parameter bias;

    /** @param units output units, at least 1 */
    public Dense(int units) {
        this(units, null, null, null);
    }

    private Dense(int units, Initializer wi, Initializer bi, Shape input) {
        if (units < 1) {
            throw new IllegalArgumentException("Dense needs at least 1 unit, got " + units);
        }
        this.units = units;
        this.weightInit = wi;
        this.biasInit = bi;
        this.input = input;
        if (input != null) {
            this.weight = new Parameter("weight", Shape.of(input.size(), units));
            this.bias = new Parameter("bias", Shape.of(units));
        } else {
            this.weight = null;
            this.bias = null;
        }
    }

    /**
     * @param init initializer for the weights (null: the model's preset)
     * @return a copy using it
     */
    public Dense weightInit(Initializer init) {
        return new Dense(units, init, biasInit, null);
    }

    /**
     * @param init initializer for the biases (null: the model's preset)
     * @return a copy using it
     */
    public Dense biasInit(Initializer init) {
        return new Dense(units, weightInit, init, null);
    }

    /** @return output units */
    public int units() {
        return units;
    }

    /** @return weights {@code (I, U)}; null before build */
    public Parameter weight() {
        return weight;
    }

    /** @return biases {@code (U)}; null before build */
    public Parameter bias() {
        return bias;
    }

    @Override
    public String name() {
        return "Dense(" + units + ")";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 1) {
            throw new IllegalArgumentException("expects a vector input, got " + in + " (add a Flatten before it)");
        }
        return Shape.of(units);
    }

    @Override
    public long parameterCount(Shape in) {
        return (long) in.size() * units + units;
    }

    @Override
    public Layer build(Shape in, InitContext init) {
        outputShape(in);
        Dense built = new Dense(units, weightInit, biasInit, in);
        Initializer wi = weightInit != null ? weightInit : init.preset().denseWeights();
        Initializer bi = biasInit != null ? biasInit : init.preset().denseBiases();
        wi.fill(built.weight.value(), in.size(), units, init.rng());
        bi.fill(built.bias.value(), in.size(), units, init.rng());
        return built;
    }

    @Override
    public List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight, bias);
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        if (input == null) {
            throw new IllegalStateException(name() + " is not built: add it to a Sequential and call build()");
        }
        DenseKernels.forward(in.data(), in.batch(), input.size(), weight.value(), bias.value(), units, out.data());
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        DenseKernels.backward(in.data(), weight.value(), gradOut.data(), gradOut.batch(), input.size(), units, ctx.gradient(weight),
                ctx.gradient(bias), gradIn == null ? null : gradIn.data());
    }

    @Override
    public long flops(Shape in) {
        return 2L * in.size() * units;
    }

    /** {@code x^T dz} (as many multiply-adds as the forward pass), the bias sum, and {@code dz W^T} (as many again). */
    @Override
    public long backwardFlops(Shape in, boolean inputGradient) {
        return (inputGradient ? 2 : 1) * flops(in) + units;
    }
}
