package io.github.cnn4j.testing;

import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.layer.InitContext;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Helpers to build and run single layers outside a model. */
public final class Layers {
    private Layers() {
    }

    /**
     * @param layer a configured layer
     * @param input its input shape
     * @return the layer built with the PAPER preset and seed 1
     */
    public static <L extends Layer> L build(L layer, Shape input) {
        @SuppressWarnings("unchecked")
        L built = (L) layer.build(input, new InitContext(new Rng(1), InitPreset.PAPER));
        return built;
    }

    /**
     * Runs one forward pass.
     *
     * @param layer  a built layer
     * @param input  input shape
     * @param batch  batch size
     * @param values input values
     * @return the output values ({@code batch * outputShape.size()})
     */
    public static float[] forward(Layer layer, Shape input, int batch, float[] values) {
        Tensor in = TestData.tensor(input, batch, batch, values);
        Tensor out = new Tensor(layer.outputShape(input), batch);
        layer.forward(in, out, new LayerContext(layer.parameters()));
        return Arrays.copyOf(out.data(), out.length());
    }

    /** @return shapes of rank 1 to 3, each dimension 1 to 5 */
    public static Arbitrary<Shape> shapes() {
        return Arbitraries.integers().between(1, 5).array(int[].class).ofMinSize(1).ofMaxSize(3).map(Shape::of);
    }

    /**
     * @param n length
     * @return jqwik arrays of {@code n} floats in [-1, 1]
     */
    public static Arbitrary<float[]> floats(int n) {
        return Arbitraries.floats().between(-1f, 1f).array(float[].class).ofSize(n);
    }
}
