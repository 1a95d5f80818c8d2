package io.github.cnn4j.layer;

import io.github.cnn4j.kernel.BatchNormKernels;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Batch normalization (Ioffe and Szegedy): normalizes each channel to zero mean and unit variance,
 * then scales and shifts it with learned {@code gamma} and {@code beta}.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input: {@code (C, H, W)} after a convolution (statistics per channel, over the batch and all
 *       {@code H x W} positions) or {@code (N)} after a dense layer (statistics per feature, over the
 *       batch); in general the first dimension is the channel</li>
 *   <li>gamma, beta (trainable): {@code (C)}, initially 1 and 0</li>
 *   <li>running_mean, running_var (non-trainable {@link #state()}): {@code (C)}, initially 0 and 1</li>
 *   <li>output: the input shape</li>
 * </ul>
 *
 * <h2>Math</h2>
 * With {@code mu_c} and {@code var_c} (biased) the statistics of channel {@code c} over the
 * {@code M = batch x positions} values of the batch:
 * <pre>
 *   xhat = (x - mu_c) / sqrt(var_c + eps),   y = gamma_c * xhat + beta_c
 *   dbeta_c  = sum dy,   dgamma_c = sum dy * xhat
 *   dx = gamma_c / (M sqrt(var_c + eps)) * (M dy - dbeta_c - xhat * dgamma_c)
 * </pre>
 * In training passes ({@link LayerContext#training()}) the statistics are those of the batch the
 * layer is given; at inference they are the running statistics, and the layer is a fixed per-channel
 * affine map (exported to ONNX as {@code BatchNormalization}). The loops are
 * {@link BatchNormKernels}; {@code xhat} is recomputed in the backward pass rather than stored.
 *
 * <h2>Ghost batches and running statistics</h2>
 * The trainer runs every batch in chunks of {@code Trainer.CHUNK} (16) samples, possibly on several
 * threads, so in training the statistics are those of each 16-sample chunk ("ghost batch
 * normalization"), fixed by the batch size alone and hence the same for any thread count. The
 * running statistics are not an exponential average updated by racing threads: after every epoch
 * the trainer recomputes them as population statistics over a fixed subset of the training set
 * ({@code BatchNormStatistics}, "precise BN"), reduced in a fixed order. A model trained outside
 * the trainer should call {@code BatchNormStatistics.recompute} before inference.
 *
 * <pre>{@code new Conv(5, 5, 8), new BatchNorm(), new ReLU()}</pre>
 */
public final class BatchNorm implements Layer {
    /** The default {@code eps}, as in PyTorch and ONNX. */
    public static final double DEFAULT_EPSILON = 1e-5;

    /** Context buffer: the statistics of the last forward pass, means then inverse deviations. */
    private static final String STATISTICS = "statistics";
    /** Per-channel sums of a statistics-mode pass ({@link #statistics(LayerContext)}). */
    private static final String CHANNEL_SUMS = "channel sums";

    private final double epsilon;
    private final Shape input;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /** Batch normalization with {@code eps = 1e-5}. */
    public BatchNorm() {
        this(DEFAULT_EPSILON, null);
    }

    private BatchNorm(double epsilon, Shape input) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("BatchNorm epsilon must be a finite number > 0, got " + epsilon);
        }
        this.epsilon = epsilon;
        this.input = input;
        if (input != null) {
            Shape c = Shape.of(channels(input));
            gamma = new Parameter("gamma", c);
            beta = new Parameter("beta", c);
            runningMean = new Parameter("running_mean", c);
            runningVar = new Parameter("running_var", c);
            Arrays.fill(gamma.value(), 1f);
            Arrays.fill(runningVar.value(), 1f);
        } else {
            gamma = null;
            beta = null;
            runningMean = null;
            runningVar = null;
        }
    }

    /**
     * @param eps the constant added to the variance, finite and &gt; 0
     * @return a copy using it
     */
    public BatchNorm epsilon(double eps) {
        return new BatchNorm(eps, null);
    }

    /** @return the constant added to the variance */
    public double epsilon() {
        return epsilon;
    }

    /**
     * @param in an input shape
     * @return its channel count, the first dimension
     */
    public static int channels(Shape in) {
        return in.dim(0);
    }

    /** @return the input shape it was built for; null before build */
    public Shape inputShape() {
        return input;
    }

    /** @return scale {@code (C)}; null before build */
    public Parameter gamma() {
        return gamma;
    }

    /** @return shift {@code (C)}; null before build */
    public Parameter beta() {
        return beta;
    }

    /** @return the running mean {@code (C)} used at inference; null before build */
    public Parameter runningMean() {
        return runningMean;
    }

    /** @return the running (biased) variance {@code (C)} used at inference; null before build */
    public Parameter runningVar() {
        return runningVar;
    }

    @Override
    public String name() {
        return epsilon == DEFAULT_EPSILON ? "BatchNorm()" : "BatchNorm(eps " + epsilon + ")";
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    /** gamma, beta and the two running statistics. */
    @Override
    public long parameterCount(Shape in) {
        return 4L * channels(in);
    }

    /** The normalized input kept for the backward pass, and the statistics. */
    @Override
    public long scratchValues(Shape in, int capacity, boolean training) {
        return (long) in.size() * capacity + 2L * channels(in);
    }

    @Override
    public Layer build(Shape in, InitContext init) {
        return new BatchNorm(epsilon, in);
    }

    @Override
    public List<Parameter> parameters() {
        return gamma == null ? List.of() : List.of(gamma, beta);
    }

    @Override
    public List<Parameter> state() {
        return runningMean == null ? List.of() : List.of(runningMean, runningVar);
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        if (input == null) {
            throw new IllegalStateException(name() + " is not built: add it to a Sequential and call build()");
        }
        int c = channels(input);
        int spatial = input.size() / c;
        float[] stats = ctx.floats(STATISTICS, 2 * c); // [mean..., invStd...], kept for the backward pass
        if (ctx.statistics()) {
            double[] sums = ctx.object(CHANNEL_SUMS, () -> new double[2 * c]);
            channelSums(in, in.batch(), sums);
        }
        if (ctx.training() || ctx.statistics()) {
            BatchNormKernels.statistics(in.data(), in.batch(), c, spatial, epsilon, stats);
        } else {
            BatchNormKernels.fixedStatistics(runningMean.value(), runningVar.value(), c, epsilon, stats);
        }
        BatchNormKernels.normalize(in.data(), in.batch(), c, spatial, stats, gamma.value(), beta.value(), out.data());
    }

    /**
     * The per-channel sums of this layer's input recorded by the last forward pass in
     * {@linkplain LayerContext#statistics() statistics} mode.
     *
     * @param ctx the context of that pass
     * @return {@code 2C} values: the sum of the input values of each channel, then the sum of their
     *         squares (live array, overwritten by the next such pass)
     * @throws IllegalStateException when no statistics pass ran in {@code ctx}
     */
    public double[] statistics(LayerContext ctx) {
        double[] sums = ctx.object(CHANNEL_SUMS, () -> null);
        if (sums == null) {
            throw new IllegalStateException(name() + ": no statistics pass ran in this context");
        }
        return sums;
    }

    /** Per channel, sample after sample: sum of the values, then sum of their squares, into {@code out} (2C). */
    private static void channelSums(Tensor t, int m, double[] out) {
        Shape s = t.shape();
        int c = channels(s);
        int spatial = s.size() / c;
        Arrays.fill(out, 0);
        float[] x = t.data();
        for (int n = 0; n < m; n++) {
            for (int ch = 0; ch < c; ch++) {
                int off = n * s.size() + ch * spatial;
                double sum = 0;
                double sq = 0;
                for (int i = 0; i < spatial; i++) {
                    double v = x[off + i];
                    sum += v;
                    sq += v * v;
                }
                out[ch] += sum;
                out[c + ch] += sq;
            }
        }
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        int c = channels(input);
        BatchNormKernels.backward(in.data(), gradOut.data(), in.batch(), c, input.size() / c, ctx.floats(STATISTICS, 2 * c), gamma.value(),
                ctx.training(), ctx.gradient(gamma), ctx.gradient(beta), gradIn == null ? null : gradIn.data());
    }

    @Override
    public long flops(Shape in) {
        return 2L * in.size();
    }
}
