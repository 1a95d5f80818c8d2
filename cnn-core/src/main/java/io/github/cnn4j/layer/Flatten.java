package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;

/**
 * Reshapes each sample to a vector in (channel, row, column) order; the data are copied unchanged.
 *
 * <h2>Shapes</h2>
 * input: any {@code (d0, d1, ...)}; output: {@code (d0 * d1 * ...)}
 */
public final class Flatten implements Layer {
    @Override
    public String name() {
        return "Flatten()";
    }

    @Override
    public Shape outputShape(Shape in) {
        return Shape.of(in.size());
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        System.arraycopy(in.data(), 0, out.data(), 0, in.length());
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        if (gradIn != null) {
            System.arraycopy(gradOut.data(), 0, gradIn.data(), 0, gradOut.length());
        }
    }
}
