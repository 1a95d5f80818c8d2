package io.github.cnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Momentum;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.Trainer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * What every layer must do, composite ones included. A layer's test class extends this and says
 * which layer it tests, on which input shapes, and gives one small case computed by hand; the
 * contract then checks:
 *
 * <ul>
 *   <li>the hand-computed case: forward output, input gradient and parameter gradients;</li>
 *   <li>finite differences: jqwik draws an input shape from the grid, a batch size and the values,
 *       and {@link GradientCheck} compares the analytic input and parameter gradients;</li>
 *   <li>the shape grid: every shape builds, {@code outputShape} matches what forward fills, every
 *       output is finite, a sample's output does not depend on its batch, in and out are not
 *       modified by backward, parameters and state are listed consistently;</li>
 *   <li>threads: a small model around the layer trained for an epoch on 1 and on 3 threads ends
 *       with bit-identical parameters.</li>
 * </ul>
 *
 * <p>The save-load round trip of every layer type is in cnn-io's tests (its codecs live there).
 */
public abstract class LayerContract {

    /**
     * @param input an input shape of the grid
     * @return the configured layer under test for that input
     */
    protected abstract Layer layer(Shape input);

    /** @return input shapes the layer must accept (at least one) */
    protected abstract List<Shape> shapes();

    /** @return a case computed by hand */
    protected abstract HandCase handCase();

    /**
     * A hand-computed case.
     *
     * @param layer      the configured layer
     * @param input      its input shape
     * @param x          input values (one sample)
     * @param parameters values for its parameters in {@code parameters()} order, then its state (empty when none)
     * @param y          the expected output
     * @param dy         the output gradient fed to backward
     * @param dx         the expected input gradient
     * @param grads      the expected parameter gradients in {@code parameters()} order (empty: not checked)
     */
    public record HandCase(Layer layer, Shape input, float[] x, float[][] parameters, float[] y, float[] dy, float[] dx,
                           float[][] grads) {
    }

    /** @return finite-difference tolerances (default {@link GradientCheck.Options#FLOAT32}) */
    protected GradientCheck.Options tolerances() {
        return GradientCheck.Options.FLOAT32;
    }

    /**
     * @param built the built layer
     * @return a context for a gradient check (default: an inference context)
     */
    protected LayerContext context(Layer built) {
        return new LayerContext(built.parameters());
    }

    /**
     * Adjusts generated input values (e.g. away from kinks). Default: as generated.
     *
     * @param x values in [-1, 1]
     * @return the values to use
     */
    protected float[] inputs(float[] x) {
        return x;
    }

    /**
     * @param input an input shape of the grid
     * @return a model around the layer for the thread test (default: layer, Flatten, Dense(2), Softmax)
     */
    protected List<Layer> model(Shape input) {
        return List.of(layer(input), new Flatten(), new Dense(2), new Softmax());
    }

    /** @return distinct values 0.05 apart in the order of {@code x} (no ties within 2 eps, for max pooling) */
    protected static float[] distinct(float[] x) {
        Integer[] idx = IntStream.range(0, x.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.comparingDouble(i -> x[i]));
        float[] out = new float[x.length];
        for (int r = 0; r < idx.length; r++) {
            out[idx[r]] = r * 0.05f - 1f;
        }
        return out;
    }

    // ----- the contract

    @Test
    void handComputedCase() {
        HandCase k = handCase();
        Layer l = Layers.build(k.layer(), k.input());
        List<Parameter> ps = new java.util.ArrayList<>(l.parameters());
        ps.addAll(l.state());
        assertEquals(k.parameters().length, ps.size(), "parameter and state arrays of " + l.name());
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).set(k.parameters()[i]);
        }
        Tensor in = TestData.tensor(k.input(), 1, 1, k.x());
        Shape outShape = l.outputShape(k.input());
        Tensor out = new Tensor(outShape, 1);
        LayerContext ctx = new LayerContext(l.parameters());
        l.forward(in, out, ctx);
        assertArrayEquals(k.y(), Arrays.copyOf(out.data(), out.length()), 1e-5f, l.name() + " output");
        Tensor dx = new Tensor(k.input(), 1);
        l.backward(in, out, TestData.tensor(outShape, 1, 1, k.dy()), dx, ctx);
        assertArrayEquals(k.dx(), Arrays.copyOf(dx.data(), dx.length()), 1e-5f, l.name() + " input gradient");
        for (int i = 0; i < k.grads().length; i++) {
            assertArrayEquals(k.grads()[i], l.parameters().get(i).grad(), 1e-5f, l.name() + " gradient of " + l.parameters().get(i));
        }
    }

    /** An input shape of the grid, a batch size and the values. */
    public record GradCase(Shape shape, int batch, float[] x, float[] r) {
        @Override
        public String toString() {
            return shape + " x" + batch;
        }
    }

    @Provide
    Arbitrary<GradCase> gradCases() {
        return Combinators.combine(Arbitraries.of(shapes()), Arbitraries.integers().between(1, 3)).as((s, b) -> new Object[] {s, b})
                .flatMap(a -> {
                    Shape s = (Shape) a[0];
                    int b = (Integer) a[1];
                    int outSize = layer(s).outputShape(s).size();
                    return Combinators.combine(Layers.floats(b * s.size()), Layers.floats(b * outSize))
                            .as((x, r) -> new GradCase(s, b, x, r));
                });
    }

    @Property(tries = 25, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("gradCases") GradCase k) {
        Layer l = Layers.build(layer(k.shape()), k.shape());
        Tensor in = TestData.tensor(k.shape(), k.batch(), k.batch(), inputs(k.x().clone()));
        GradientCheck.checkLayer(l, in, k.r(), tolerances(), () -> context(l)).assertOk(l.name() + " " + k);
    }

    @Test
    void shapeGrid() {
        Rng rng = new Rng(5);
        for (Shape s : shapes()) {
            Layer configured = layer(s);
            Shape outShape = configured.outputShape(s);
            Layer l = Layers.build(configured, s);
            assertEquals(outShape, l.outputShape(s), l.name() + " on " + s);
            assertTrue(l.flops(s) >= 0, "flops");
            int batch = 3;
            float[] x = inputs(TestData.uniform(rng, batch * s.size(), -1, 1));
            Tensor in = TestData.tensor(s, batch, batch + 1, x);
            Tensor out = new Tensor(outShape, batch + 1).batch(batch);
            Arrays.fill(out.data(), Float.NaN);
            l.forward(in, out, new LayerContext(l.parameters()));
            for (int i = 0; i < out.length(); i++) {
                assertTrue(Float.isFinite(out.data()[i]), l.name() + " on " + s + ": output " + i + " is " + out.data()[i]);
            }
            // a sample's (inference) output does not depend on the other samples of its batch
            float[] second = Layers.forward(l, s, 1, Arrays.copyOfRange(x, s.size(), 2 * s.size()));
            assertArrayEquals(Arrays.copyOfRange(out.data(), outShape.size(), 2 * outShape.size()), second, 0f,
                    l.name() + " on " + s + ": sample 1 in a batch of 3 vs alone");
            long values = l.parameters().stream().mapToLong(Parameter::size).sum();
            assertEquals(values, Sequential.of(configured).input(s).build().parameterCount(), "parameter count");
        }
    }

    @Test
    void threeThreadsTrainLikeOne() {
        Shape s = shapes().get(shapes().size() - 1);
        Dataset data = TestData.random(80, s, 2, 11);
        float[][] one = train(s, data, 1);
        float[][] three = train(s, data, 3);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], three[i], 0f, "parameter " + i + " after training on 1 and on 3 threads");
        }
    }

    private float[][] train(Shape s, Dataset data, int threads) {
        Sequential m = Sequential.of(model(s)).input(s).seed(3).build();
        Trainer.builder(m).threads(threads).batchSize(40).epochs(1).optimizer(new Momentum(0.05, 0.9)).shuffle(ShuffleMode.FULL)
                .build().fit(data);
        float[][] w = new float[m.parameters().size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = m.parameters().get(i).value().clone();
        }
        return w;
    }
}
