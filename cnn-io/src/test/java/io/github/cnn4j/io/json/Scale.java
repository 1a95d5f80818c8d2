package io.github.cnn4j.io.json;

import io.github.cnn4j.layer.InitContext;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A layer that exists only in the tests, as a user would write one: {@code y = gain_c * x + offset}
 * with a trainable gain per channel (first dimension) and a fixed offset. Its codec
 * ({@link ScaleCodec}) is registered in the test resources' {@code META-INF/services}.
 */
public final class Scale implements Layer {
    private final double offset;
    private final Parameter gain;

    /** @param offset added to every output */
    public Scale(double offset) {
        this(offset, null);
    }

    private Scale(double offset, Shape input) {
        this.offset = offset;
        if (input != null) {
            gain = new Parameter("gain", Shape.of(input.dim(0)));
            Arrays.fill(gain.value(), 1f);
        } else {
            gain = null;
        }
    }

    /** @return the offset */
    public double offset() {
        return offset;
    }

    @Override
    public String name() {
        return "Scale(+" + offset + ")";
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Layer build(Shape input, InitContext init) {
        return new Scale(offset, input);
    }

    @Override
    public List<Parameter> parameters() {
        return gain == null ? List.of() : List.of(gain);
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        int size = in.shape().size();
        int c = gain.size();
        int per = size / c;
        float[] g = gain.value();
        for (int i = 0; i < in.batch() * size; i++) {
            out.data()[i] = g[(i % size) / per] * in.data()[i] + (float) offset;
        }
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        int size = in.shape().size();
        int per = size / gain.size();
        float[] g = gain.value();
        float[] dg = ctx.gradient(gain);
        for (int i = 0; i < in.batch() * size; i++) {
            int ch = (i % size) / per;
            dg[ch] += gradOut.data()[i] * in.data()[i];
            if (gradIn != null) {
                gradIn.data()[i] = g[ch] * gradOut.data()[i];
            }
        }
    }
}
