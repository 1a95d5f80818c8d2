package io.github.cnn4j.layer;

import io.github.cnn4j.init.Initializer;
import io.github.cnn4j.kernel.ConvKernels;
import io.github.cnn4j.kernel.ConvScratch;
import io.github.cnn4j.kernel.StridedConvKernels;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.List;

/**
 * 2-D convolution (cross-correlation, as the paper computes it) with zero padding and a stride
 * (default 1).
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input: {@code (C, H, W)}</li>
 *   <li>weight: {@code (F, C, KH, KW)}, bias: {@code (F)}</li>
 *   <li>output: {@code (F, H + 2P - KH + 1, W + 2P - KW + 1)} with stride 1; with stride {@code S},
 *       {@code (F, floor((H + 2P - KH) / S) + 1, floor((W + 2P - KW) / S) + 1)}</li>
 * </ul>
 * The input channel count {@code C} is taken from the input when the model is built. Stride 1 runs
 * {@link ConvKernels}; larger strides run {@link StridedConvKernels}.
 *
 * <pre>{@code new Conv(5, 5, 6)            // 5x5 kernels, 6 filters, no padding
 * new Conv(3, 3, 8).padding(1)  // "same" size output
 * new Conv(3, 3, 16).stride(2)  // every second position: about half the height and width}</pre>
 */
public final class Conv implements Layer {
    /** Context buffers: the kernels' scratch (stride 1 or strided), the paper-compatible bias sums. */
    private static final String SCRATCH = "convolution scratch";
    private static final String BIAS_SUMS = "bias gradient sums";

    private final int kernelHeight;
    private final int kernelWidth;
    private final int filters;
    private final int padding;
    private final int stride;
    private final Initializer weightInit;
    private final Initializer biasInit;
    private final boolean meanBiasGradient;
    // Bound state (null / 0 until built).
    private final Shape input;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param kernelHeight kernel rows, at least 1
     * @param kernelWidth  kernel columns, at least 1
     * @param filters      number of kernels (output channels), at least 1
     */
    public Conv(int kernelHeight, int kernelWidth, int filters) {
        this(kernelHeight, kernelWidth, filters, 0, 1, null, null, false, null);
    }

    private Conv(int kh, int kw, int f, int pad, int stride, Initializer wi, Initializer bi, boolean meanBias, Shape input) {
        if (kh < 1 || kw < 1 || f < 1) {
            throw new IllegalArgumentException("Conv needs kernel sizes and filters >= 1, got " + kh + "x" + kw + ", " + f + " filters");
        }
        if (pad < 0) {
            throw new IllegalArgumentException("Conv padding must be >= 0, got " + pad);
        }
        this.kernelHeight = kh;
        this.kernelWidth = kw;
        this.filters = f;
        if (stride < 1) {
            throw new IllegalArgumentException("Conv stride must be >= 1, got " + stride);
        }
        this.padding = pad;
        this.stride = stride;
        this.weightInit = wi;
        this.biasInit = bi;
        this.meanBiasGradient = meanBias;
        this.input = input;
        if (input != null) {
            this.weight = new Parameter("weight", Shape.of(f, input.channels(), kh, kw));
            this.bias = new Parameter("bias", Shape.of(f));
        } else {
            this.weight = null;
            this.bias = null;
        }
    }

    /**
     * @param p zero padding on all four sides
     * @return a copy with that padding
     */
    public Conv padding(int p) {
        return new Conv(kernelHeight, kernelWidth, filters, p, stride, weightInit, biasInit, meanBiasGradient, null);
    }

    /**
     * @param s step between kernel positions in both directions, at least 1 (default 1)
     * @return a copy with that stride
     */
    public Conv stride(int s) {
        return new Conv(kernelHeight, kernelWidth, filters, padding, s, weightInit, biasInit, meanBiasGradient, null);
    }

    /**
     * @param init initializer for the weights (null: the model's preset)
     * @return a copy using it
     */
    public Conv weightInit(Initializer init) {
        return new Conv(kernelHeight, kernelWidth, filters, padding, stride, init, biasInit, meanBiasGradient, null);
    }

    /**
     * @param init initializer for the biases (null: the model's preset)
     * @return a copy using it
     */
    public Conv biasInit(Initializer init) {
        return new Conv(kernelHeight, kernelWidth, filters, padding, stride, weightInit, init, meanBiasGradient, null);
    }

    /** @return kernel rows */
    public int kernelHeight() {
        return kernelHeight;
    }

    /** @return kernel columns */
    public int kernelWidth() {
        return kernelWidth;
    }

    /**
     * Compatibility with the paper's code, for reproducing its numbers only: the bias gradient is
     * divided by the number of output positions {@code OH * OW} (the mean of {@code dL/dZ} instead of
     * its sum). That is not the gradient of the loss; it lowers the biases' learning rate, which
     * matters at the paper's largest rate (model A, 0.05). Off by default.
     *
     * @param mean whether to use the mean instead of the sum
     * @return a copy with that setting
     */
    public Conv meanBiasGradient(boolean mean) {
        return new Conv(kernelHeight, kernelWidth, filters, padding, stride, weightInit, biasInit, mean, null);
    }

    /** @return whether the bias gradient is the paper code's mean rather than the true sum */
    public boolean meanBiasGradient() {
        return meanBiasGradient;
    }

    /** @return number of filters */
    public int filters() {
        return filters;
    }

    /** @return zero padding on each side */
    public int padding() {
        return padding;
    }

    /** @return step between kernel positions (1 unless set) */
    public int stride() {
        return stride;
    }

    /** @return the weights {@code (F, C, KH, KW)}; null before build */
    public Parameter weight() {
        return weight;
    }

    /** @return the biases {@code (F)}; null before build */
    public Parameter bias() {
        return bias;
    }

    @Override
    public String name() {
        return "Conv(" + kernelHeight + "x" + kernelWidth + ", " + filters + " filters" + (padding > 0 ? ", padding " + padding : "")
                + (stride > 1 ? ", stride " + stride : "") + (meanBiasGradient ? ", mean bias gradient" : "") + ")";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException("expects a (channels, height, width) input, got " + in);
        }
        int ph = in.height() + 2 * padding;
        int pw = in.width() + 2 * padding;
        if (kernelHeight > ph || kernelWidth > pw) {
            throw new IllegalArgumentException("kernel " + kernelHeight + "x" + kernelWidth + " is larger than its padded input "
                    + ph + "x" + pw + " (input " + in + ", padding " + padding + ")");
        }
        if (stride > 1) {
            return Shape.of(filters, StridedConvKernels.outputSize(in.height(), kernelHeight, padding, stride),
                    StridedConvKernels.outputSize(in.width(), kernelWidth, padding, stride));
        }
        return Shape.of(filters, ConvKernels.outputSize(in.height(), kernelHeight, padding),
                ConvKernels.outputSize(in.width(), kernelWidth, padding));
    }

    @Override
    public long parameterCount(Shape in) {
        return (long) filters * in.channels() * kernelHeight * kernelWidth + filters;
    }

    /** The kernels' scratch ({@code ConvKernels.Scratch}, or the strided kernels' work arrays), over-estimated. */
    @Override
    public long scratchValues(Shape in, int capacity, boolean training) {
        long c = in.channels();
        long ph = in.height() + 2L * padding;
        long pw = in.width() + 2L * padding;
        if (stride > 1) {
            return StridedConvKernels.scratchValues(in.channels(), in.height(), in.width(), filters, kernelHeight, kernelWidth,
                    padding, stride, capacity, training);
        }
        long plane = ph * pw;
        long oh = ph - kernelHeight + 1;
        long ow = pw - kernelWidth + 1;
        long group = Math.max(1, Math.min(capacity, 2048 / plane));
        long len = group * plane;
        long taps = c * kernelHeight * kernelWidth;
        // the row forward pass of the vector kernels: one padded sample and the tap offsets
        long forward = c * len + (filters + 8L) * len + c * plane + taps;
        if (!training) {
            return forward;
        }
        long zplane = (oh + 2L * (kernelHeight - 1)) * (ow + 2L * (kernelWidth - 1));
        long rows = taps >= 128 ? oh * ow * taps + filters * taps : 0;
        // the vector backward variants: rows (all samples padded twice, position offsets, lane sums)
        // and packed columns (two blocks of about 48K values, the packed dy)
        long cap = Math.max(1, capacity);
        long vector = 2 * cap * c * plane + 2 * cap * oh * ow + (filters * taps + filters) * 8L
                + 2 * (49152L + taps * (ow + 8)) + filters * (49152L / Math.max(1, taps) + ow + 8);
        return forward + rows + vector + filters * len + (filters + c + 8L) * group * zplane + c * filters * kernelHeight * kernelWidth
                + filters;
    }

    @Override
    public Layer build(Shape in, InitContext init) {
        outputShape(in);
        Conv built = new Conv(kernelHeight, kernelWidth, filters, padding, stride, weightInit, biasInit, meanBiasGradient, in);
        int fanIn = in.channels() * kernelHeight * kernelWidth;
        int fanOut = filters * kernelHeight * kernelWidth;
        Initializer wi = weightInit != null ? weightInit : init.preset().convWeights();
        Initializer bi = biasInit != null ? biasInit : init.preset().convBiases();
        wi.fill(built.weight.value(), fanIn, fanOut, init.rng());
        bi.fill(built.bias.value(), fanIn, fanOut, init.rng());
        return built;
    }

    @Override
    public List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight, bias);
    }

    private void requireBuilt() {
        if (input == null) {
            throw new IllegalStateException(name() + " is not built: add it to a Sequential and call build()");
        }
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        requireBuilt();
        if (stride > 1) {
            stridedForward(in, out, ctx);
            return;
        }
        ConvScratch scratch = ctx.object(SCRATCH, ConvScratch::new);
        ConvKernels.forward(in.data(), 0, in.batch(), input.channels(), input.height(), input.width(), weight.value(), bias.value(),
                filters, kernelHeight, kernelWidth, padding, out.data(), 0, scratch);
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        requireBuilt();
        if (stride > 1) {
            stridedBackward(in, out, gradOut, gradIn, ctx);
            return;
        }
        ConvScratch scratch = ctx.object(SCRATCH, ConvScratch::new);
        float[] gb = ctx.gradient(bias);
        if (meanBiasGradient) {
            gb = meanBiasScratch(ctx);
        }
        ConvKernels.backward(in.data(), 0, in.batch(), input.channels(), input.height(), input.width(), weight.value(),
                filters, kernelHeight, kernelWidth, padding, gradOut.data(), 0, ctx.gradient(weight), gb,
                gradIn == null ? null : gradIn.data(), 0, scratch);
        if (meanBiasGradient) {
            addMeanBiasGradient(gb, out, ctx);
        }
    }

    /** A zeroed per-filter buffer for the paper-compatible bias sum. */
    private float[] meanBiasScratch(LayerContext ctx) {
        float[] gb = ctx.floats(BIAS_SUMS, filters);
        java.util.Arrays.fill(gb, 0, filters, 0f);
        return gb;
    }

    /** Adds the summed bias gradient divided by {@code OH * OW} (see {@link #meanBiasGradient(boolean)}). */
    private void addMeanBiasGradient(float[] sum, Tensor out, LayerContext ctx) {
        float[] target = ctx.gradient(bias);
        float positions = out.shape().height() * out.shape().width();
        for (int f = 0; f < filters; f++) {
            target[f] += sum[f] / positions;
        }
    }

    private void stridedForward(Tensor in, Tensor out, LayerContext ctx) {
        StridedConvKernels.forward(in.data(), 0, in.batch(), input.channels(), input.height(), input.width(), weight.value(), bias.value(),
                filters, kernelHeight, kernelWidth, padding, stride, out.data(), 0, ctx.object(SCRATCH, ConvScratch::new));
    }

    private void stridedBackward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        float[] gb = meanBiasGradient ? meanBiasScratch(ctx) : ctx.gradient(bias);
        StridedConvKernels.backward(in.data(), 0, in.batch(), input.channels(), input.height(), input.width(), weight.value(), filters,
                kernelHeight, kernelWidth, padding, stride, gradOut.data(), 0, ctx.gradient(weight), gb,
                gradIn == null ? null : gradIn.data(), 0, ctx.object(SCRATCH, ConvScratch::new));
        if (meanBiasGradient) {
            addMeanBiasGradient(gb, out, ctx);
        }
    }

    @Override
    public long flops(Shape in) {
        Shape o = outputShape(in);
        return 2L * o.size() * in.channels() * kernelHeight * kernelWidth;
    }

    /** Weight gradient (as many multiply-adds as the forward pass), bias sum, and the input gradient (as many again). */
    @Override
    public long backwardFlops(Shape in, boolean inputGradient) {
        return (inputGradient ? 2 : 1) * flops(in) + outputShape(in).size();
    }
}
