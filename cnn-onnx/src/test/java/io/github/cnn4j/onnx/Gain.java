package io.github.cnn4j.onnx;

import io.github.cnn4j.layer.InitContext;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.List;

/**
 * A layer that exists only in the tests, as a user would write one: {@code y = g_c * x} with a
 * trainable gain per channel (first dimension), initialized to {@code 1 + 0.1 c}. Its ONNX codec
 * ({@link GainOnnxCodec}) is registered in the test resources' {@code META-INF/services}.
 */
public final class Gain implements Layer {
    private final Parameter gain;

    /** A configured gain layer. */
    public Gain() {
        this.gain = null;
    }

    private Gain(Shape input) {
        gain = new Parameter("gain", Shape.of(input.dim(0)));
        for (int c = 0; c < gain.size(); c++) {
            gain.value()[c] = 1f + 0.1f * c;
        }
    }

    /** @return the gain (null before build) */
    public Parameter gain() {
        return gain;
    }

    @Override
    public String name() {
        return "Gain()";
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Layer build(Shape input, InitContext init) {
        return new Gain(input);
    }

    @Override
    public long parameterCount(Shape input) {
        return input.dim(0);
    }

    @Override
    public List<Parameter> parameters() {
        return gain == null ? List.of() : List.of(gain);
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        int size = in.shape().size();
        int per = size / gain.size();
        float[] g = gain.value();
        for (int i = 0; i < in.batch() * size; i++) {
            out.data()[i] = g[(i % size) / per] * in.data()[i];
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
