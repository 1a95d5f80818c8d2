package io.github.cnn4j.layer;

import io.github.cnn4j.kernel.AvgPoolKernels;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;

/**
 * Average pooling with a square window and stride equal to the window; rows and columns that do not
 * fill a window are dropped (floor), as in {@link MaxPool}. A window as large as the input is
 * global average pooling.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input: {@code (C, H, W)}</li>
 *   <li>output: {@code (C, floor(H / S), floor(W / S))}</li>
 * </ul>
 *
 * <h2>Backward</h2>
 * Every input of a window receives {@code dy / S^2}; inputs in dropped rows and columns receive 0.
 *
 * <pre>{@code new AvgPool(2)   // (6, 24, 24) -> (6, 12, 12)}</pre>
 */
public final class AvgPool implements Layer {
    private final int size;

    /** @param size window size and stride, at least 1 */
    public AvgPool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("AvgPool size must be >= 1, got " + size);
        }
        this.size = size;
    }

    /** @return window size and stride */
    public int size() {
        return size;
    }

    @Override
    public String name() {
        return "AvgPool(" + size + "x" + size + ")";
    }

    @Override
    public Shape outputShape(Shape in) {
        return Pooling.outputShape(in, size);
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        Shape s = in.shape();
        int outSize = out.shape().size();
        for (int n = 0; n < in.batch(); n++) {
            AvgPoolKernels.forward(in.data(), n * s.size(), s.channels(), s.height(), s.width(), size, out.data(), n * outSize);
        }
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        if (gradIn == null) {
            return;
        }
        Shape s = in.shape();
        int outSize = out.shape().size();
        for (int n = 0; n < in.batch(); n++) {
            AvgPoolKernels.backward(gradOut.data(), n * outSize, s.channels(), s.height(), s.width(), size, gradIn.data(), n * s.size());
        }
    }

    @Override
    public long flops(Shape in) {
        return outputShape(in).size() * (long) size * size;
    }
}
