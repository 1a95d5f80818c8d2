package io.github.cnn4j.layer;

import io.github.cnn4j.kernel.MaxPoolKernels;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;

/**
 * Max pooling with a square window and stride equal to the window; rows and columns that do not
 * fill a window are dropped (floor); ties go to the first maximum in row-major order.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input: {@code (C, H, W)}</li>
 *   <li>output: {@code (C, floor(H / S), floor(W / S))}</li>
 * </ul>
 */
public final class MaxPool implements Layer {
    /** Context buffers: the winners of the last forward pass, whether it kept them, outputs recomputed to find them. */
    private static final String SWITCHES = "switches";
    private static final String PASS = "pass kind";
    private static final String RECOMPUTED = "recomputed outputs";

    private final int size;

    /** @param size window size and stride, at least 1 */
    public MaxPool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("MaxPool size must be >= 1, got " + size);
        }
        this.size = size;
    }

    /** @return window size and stride */
    public int size() {
        return size;
    }

    @Override
    public String name() {
        return "MaxPool(" + size + "x" + size + ")";
    }

    /** The switches (one int per output) and an output-sized float buffer. */
    @Override
    public long scratchValues(Shape in, int capacity, boolean training) {
        return 2L * outputShape(in).size() * capacity + 1;
    }

    @Override
    public Shape outputShape(Shape in) {
        return Pooling.outputShape(in, size);
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        Shape s = in.shape();
        int outSize = out.shape().size();
        int[] state = ctx.ints(PASS, 1);
        if (size == 2 && !ctx.training()) {
            // inference needs no switches: the branch-free max alone (backward recomputes them if called)
            for (int n = 0; n < in.batch(); n++) {
                MaxPoolKernels.max2Values(in.data(), n * s.size(), s.channels(), s.height(), s.width(), out.data(), n * outSize);
            }
            state[0] = 0;
            return;
        }
        state[0] = 1;
        int[] switches = ctx.ints(SWITCHES, outSize * in.capacity());
        for (int n = 0; n < in.batch(); n++) {
            MaxPoolKernels.maxForward(in.data(), n * s.size(), s.channels(), s.height(), s.width(), size,
                    out.data(), n * outSize, switches, n * outSize);
        }
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        if (gradIn == null) {
            return;
        }
        int inSize = in.shape().size();
        int outSize = out.shape().size();
        int[] switches = ctx.ints(SWITCHES, outSize * in.capacity());
        if (ctx.ints(PASS, 1)[0] == 0) {
            // the forward pass ran as inference and kept no switches: find them now
            Shape s = in.shape();
            float[] y = ctx.floats(RECOMPUTED, outSize * in.capacity());
            for (int n = 0; n < in.batch(); n++) {
                MaxPoolKernels.maxForward(in.data(), n * inSize, s.channels(), s.height(), s.width(), size, y, n * outSize, switches, n * outSize);
            }
        }
        for (int n = 0; n < in.batch(); n++) {
            MaxPoolKernels.maxBackward(gradOut.data(), n * outSize, switches, n * outSize, outSize, gradIn.data(), n * inSize, inSize);
        }
    }

    @Override
    public long flops(Shape in) {
        return outputShape(in).size() * (long) size * size;
    }

    /** One add per output: each output gradient is routed to its window's winner. */
    @Override
    public long backwardFlops(Shape in, boolean inputGradient) {
        return inputGradient ? outputShape(in).size() : 0;
    }
}
