package io.github.cnn4j.layer;

import io.github.cnn4j.kernel.ActivationKernels;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;

/**
 * Softmax over a vector: {@code y_k = exp(x_k) / sum_j exp(x_j)}, computed stably. Must be the last
 * layer. With {@link io.github.cnn4j.loss.CrossEntropy} the model skips this layer's backward and
 * uses the fused gradient {@code y - onehot(label)} directly.
 *
 * <h2>Shapes</h2>
 * input: {@code (K)}; output: {@code (K)}
 */
public final class Softmax implements Layer {
    @Override
    public String name() {
        return "Softmax()";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 1) {
            throw new IllegalArgumentException("expects a vector input, got " + in + " (add a Flatten before it)");
        }
        return in;
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        ActivationKernels.softmaxForward(in.data(), out.data(), in.batch(), in.shape().size());
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        if (gradIn != null) {
            ActivationKernels.softmaxBackward(out.data(), gradOut.data(), gradIn.data(), out.batch(), out.shape().size());
        }
    }

    @Override
    public long flops(Shape in) {
        return 3L * in.size();
    }
}
