package io.github.cnn4j.layer;

import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;

/**
 * Inverted dropout: in training passes each value is zeroed with probability {@code rate} and the
 * survivors are scaled by {@code 1 / (1 - rate)}; at inference the layer is the identity.
 *
 * <h2>Shapes</h2>
 * Any input shape; the output has the same shape.
 *
 * <h2>Determinism</h2>
 * The mask of sample {@code n} is drawn from {@link LayerContext#noiseSeed(int)}, which the trainer
 * derives from (seed, epoch, position of the sample in the epoch) and this layer's index, element
 * {@code i} being dropped when {@code Seeds.uniform(noiseSeed, i) < rate}. No generator is shared
 * between threads, so the masks, and the trained weights, are the same for 1, 2 or 3 threads.
 *
 * <h2>Math</h2>
 * <pre>
 *   y = m * x,  dx = m * dy,  with m = 0 (probability rate) or 1 / (1 - rate)
 * </pre>
 *
 * <pre>{@code new Dropout(0.5)   // between dense layers}</pre>
 */
public final class Dropout implements Layer {
    /** Context buffer: the last training pass's mask. */
    private static final String MASK = "mask";

    private final double rate;

    /** @param rate probability of dropping a value, in {@code [0, 1)} */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /** @return the probability of dropping a value */
    public double rate() {
        return rate;
    }

    @Override
    public String name() {
        return "Dropout(" + rate + ")";
    }

    /** The mask. */
    @Override
    public long scratchValues(Shape in, int capacity, boolean training) {
        return training ? (long) in.size() * capacity : 0;
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        float[] x = in.data();
        float[] y = out.data();
        int len = in.length();
        if (!ctx.training() || rate == 0) {
            System.arraycopy(x, 0, y, 0, len);
            return;
        }
        int size = in.shape().size();
        float[] mask = ctx.floats(MASK, size * in.capacity());
        float keep = (float) (1 / (1 - rate));
        float r = (float) rate;
        for (int n = 0; n < in.batch(); n++) {
            long seed = ctx.noiseSeed(n);
            int off = n * size;
            for (int i = 0; i < size; i++) {
                float m = Seeds.uniform(seed, i) < r ? 0f : keep;
                mask[off + i] = m;
                y[off + i] = m * x[off + i];
            }
        }
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        if (gradIn == null) {
            return;
        }
        float[] dy = gradOut.data();
        float[] dx = gradIn.data();
        int len = in.length();
        if (!ctx.training() || rate == 0) {
            System.arraycopy(dy, 0, dx, 0, len);
            return;
        }
        float[] mask = ctx.floats(MASK, in.shape().size() * in.capacity());
        for (int i = 0; i < len; i++) {
            dx[i] = mask[i] * dy[i];
        }
    }

    @Override
    public long flops(Shape in) {
        return 0;
    }
}
