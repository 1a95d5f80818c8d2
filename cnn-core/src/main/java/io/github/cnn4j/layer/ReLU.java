package io.github.cnn4j.layer;

import io.github.cnn4j.kernel.ActivationKernels;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;

/**
 * Element-wise {@code y = max(0, x)}.
 *
 * <h2>Shapes</h2>
 * Any input shape; the output has the same shape.
 */
public final class ReLU implements Layer {
    @Override
    public String name() {
        return "ReLU()";
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        ActivationKernels.reluForward(in.data(), out.data(), in.length());
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        if (gradIn != null) {
            ActivationKernels.reluBackward(out.data(), gradOut.data(), gradIn.data(), out.length());
        }
    }

    @Override
    public long flops(Shape in) {
        return in.size();
    }
}
