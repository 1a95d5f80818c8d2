package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.Layers;
import io.github.cnn4j.testing.TestData;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ConvTest {

    // ---------------------------------------------------------------- paper compatibility

    /** The paper code's bias step: the same weight and input gradients, the bias gradient divided by OH * OW. */
    @Test
    void meanBiasGradientDividesOnlyTheBiasGradientByTheOutputPositions() {
        checkMeanBiasGradient(1);
    }

    /** The strided kernels honour the option too, and every copy keeps both settings. */
    @Test
    void meanBiasGradientWorksWithStride() {
        checkMeanBiasGradient(2);
        Conv c = new Conv(3, 3, 2).meanBiasGradient(true).stride(2).padding(1).weightInit(null).biasInit(null);
        assertTrue(c.meanBiasGradient());
        assertEquals(2, c.stride());
        assertEquals(1, c.padding());
        Conv built = (Conv) c.build(Shape.of(1, 8, 8), new InitContext(new Rng(1), io.github.cnn4j.init.InitPreset.MODERN));
        assertTrue(built.meanBiasGradient() && built.stride() == 2 && built.padding() == 1);
        assertTrue(built.name().contains("stride 2") && built.name().contains("mean bias gradient"), built.name());
    }

    private static void checkMeanBiasGradient(int stride) {
        Shape in = Shape.of(2, 7, 6);
        Rng rng = new Rng(7);
        Conv plain = (Conv) new Conv(3, 2, 3).padding(1).stride(stride)
                .build(in, new InitContext(new Rng(1), io.github.cnn4j.init.InitPreset.MODERN));
        Conv mean = (Conv) new Conv(3, 2, 3).padding(1).meanBiasGradient(true).stride(stride)
                .build(in, new InitContext(new Rng(1), io.github.cnn4j.init.InitPreset.MODERN));
        assertTrue(mean.meanBiasGradient() && !plain.meanBiasGradient());
        assertEquals(stride, mean.stride());
        Shape outShape = plain.outputShape(in);
        Tensor x = new Tensor(in, 2);
        Tensor g = new Tensor(outShape, 2);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < g.data().length; i++) {
            g.data()[i] = (float) rng.nextGaussian();
        }
        float[][] grads = new float[2][];
        float[][] inGrads = new float[2][];
        float[][] biasGrads = new float[2][];
        Conv[] layers = {plain, mean};
        for (int k = 0; k < 2; k++) {
            LayerContext ctx = new LayerContext(layers[k].parameters());
            Tensor y = new Tensor(outShape, 2);
            Tensor dx = new Tensor(in, 2);
            layers[k].forward(x, y, ctx);
            layers[k].backward(x, y, g, dx, ctx);
            grads[k] = layers[k].weight().grad().clone();
            biasGrads[k] = layers[k].bias().grad().clone();
            inGrads[k] = dx.data().clone();
        }
        assertArrayEquals(grads[0], grads[1]);
        assertArrayEquals(inGrads[0], inGrads[1]);
        float positions = outShape.height() * outShape.width();
        for (int f = 0; f < 3; f++) {
            assertEquals(biasGrads[0][f] / positions, biasGrads[1][f], 1e-6f * Math.max(1f, Math.abs(biasGrads[1][f])));
        }
        assertTrue(mean.name().contains("mean bias gradient"), mean.name());
    }

    // ---------------------------------------------------------------- hand-computed values

    /** Two channels of 2x2, two 2x2 filters, padding 1: every number below is worked out by hand. */
    private static final float[] INPUT = {
        1, 2, 3, 4,       // channel 0: [[1, 2], [3, 4]]
        0, 1, -1, 2,      // channel 1: [[0, 1], [-1, 2]]
    };
    private static final float[] WEIGHTS = {
        1, 0, 0, -1,      // filter 0, channel 0
        2, 1, 0, 0,       // filter 0, channel 1
        1, 1, 1, 1,       // filter 1, channel 0
        0, 0, 0, 0,       // filter 1, channel 1
    };
    private static final float[] BIASES = {0.5f, 0f};

    private static Conv handConv() {
        Conv conv = Layers.build(new Conv(2, 2, 2).padding(1), Shape.of(2, 2, 2));
        conv.weight().set(WEIGHTS);
        conv.bias().set(BIASES);
        return conv;
    }

    @Test
    void forwardWithPaddingAndTwoChannelsMatchesHandComputation() {
        Conv conv = handConv();
        assertEquals(Shape.of(2, 3, 3), conv.outputShape(Shape.of(2, 2, 2)));
        float[] out = Layers.forward(conv, Shape.of(2, 2, 2), 1, INPUT);
        // filter 0: xp0[i][j] - xp0[i+1][j+1] + 2 xp1[i][j] + xp1[i][j+1] + 0.5 over the zero-padded 4x4 planes
        // filter 1: sum of each 2x2 window of padded channel 0
        float[] expected = {
            -0.5f, -1.5f, 0.5f,
            -2.5f, -1.5f, 4.5f,
            -0.5f, 3.5f, 8.5f,
            1, 3, 2,
            4, 10, 6,
            3, 7, 4,
        };
        assertArrayEquals(expected, out, 1e-6f);
    }

    @Test
    void isCrossCorrelationNotConvolution() {
        Conv conv = Layers.build(new Conv(2, 2, 1), Shape.of(1, 3, 3));
        conv.weight().set(new float[] {1, 2, 3, 4});
        conv.bias().set(new float[] {0});
        float[] out = Layers.forward(conv, Shape.of(1, 3, 3), 1, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        // (0,0) = 1*1 + 2*2 + 3*4 + 4*5 = 37 (a flipped kernel would give 23)
        assertArrayEquals(new float[] {37, 47, 67, 77}, out, 1e-6f);
    }

    private static float[][] backwardOneHot(int filter, int row, int col) {
        Conv conv = handConv();
        Tensor in = TestData.tensor(Shape.of(2, 2, 2), 1, 1, INPUT);
        Tensor out = new Tensor(Shape.of(2, 3, 3), 1);
        LayerContext ctx = new LayerContext(conv.parameters());
        conv.forward(in, out, ctx);
        Tensor dy = new Tensor(Shape.of(2, 3, 3), 1);
        dy.data()[filter * 9 + row * 3 + col] = 1;
        Tensor dx = new Tensor(Shape.of(2, 2, 2), 1);
        Arrays.fill(dx.data(), 99f);
        conv.backward(in, out, dy, dx, ctx);
        return new float[][] {conv.weight().grad(), conv.bias().grad(), dx.data()};
    }

    @Test
    void backwardAtTheCornerCropsThePaddedGradient() {
        // dy = 1 at filter 0, output (0,0): that output saw padded (0..1, 0..1), i.e. only input (0,0) via w[.][1][1]
        float[][] g = backwardOneHot(0, 0, 0);
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, g[0], 0f, "dW = padded input window at (0,0)");
        assertArrayEquals(new float[] {1, 0}, g[1], 0f, "db");
        assertArrayEquals(new float[] {-1, 0, 0, 0, 0, 0, 0, 0}, g[2], 0f, "dx = w0[c][1][1] at (0,0), rest cropped");
    }

    @Test
    void backwardAtTheCentreGivesTheInputAndTheKernel() {
        // dy = 1 at filter 1, output (1,1): that output's window is exactly the unpadded input
        float[][] g = backwardOneHot(1, 1, 1);
        float[] dw = new float[16];
        System.arraycopy(INPUT, 0, dw, 8, 8);
        assertArrayEquals(dw, g[0], 0f, "dW of filter 1 = the input");
        assertArrayEquals(new float[] {0, 1}, g[1], 0f, "db");
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0}, g[2], 0f, "dx = filter 1's kernel");
    }

    @Test
    void parameterGradientsAccumulateAcrossBackwardCalls() {
        Conv conv = handConv();
        Tensor in = TestData.tensor(Shape.of(2, 2, 2), 1, 1, INPUT);
        Tensor out = new Tensor(Shape.of(2, 3, 3), 1);
        LayerContext ctx = new LayerContext(conv.parameters());
        conv.forward(in, out, ctx);
        Tensor dy = TestData.tensor(Shape.of(2, 3, 3), 1, 1, TestData.uniform(new Rng(5), 18, -1, 1));
        conv.backward(in, out, dy, null, ctx);
        float[] once = conv.weight().grad().clone();
        float[] bOnce = conv.bias().grad().clone();
        conv.backward(in, out, dy, null, ctx);
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], conv.weight().grad()[i], 1e-6f);
        }
        assertEquals(2 * bOnce[0], conv.bias().grad()[0], 1e-6f);
    }

    @Test
    void shapesNamesAndErrors() {
        Conv c = new Conv(5, 3, 6);
        assertNull(c.weight());
        assertTrue(c.parameters().isEmpty());
        assertEquals(Shape.of(6, 24, 26), c.outputShape(Shape.of(1, 28, 28)));
        assertEquals(Shape.of(6, 28, 30), c.padding(2).outputShape(Shape.of(1, 28, 28)));
        Conv built = Layers.build(c.padding(1), Shape.of(3, 10, 10));
        assertEquals(Shape.of(6, 3, 5, 3), built.weight().shape());
        assertEquals(Shape.of(6), built.bias().shape());
        assertEquals(1, built.padding());
        assertEquals("Conv(5x3, 6 filters, padding 1)", built.name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.outputShape(Shape.of(1, 4, 28)));
        assertTrue(e.getMessage().contains("5x3") && e.getMessage().contains("(1, 4, 28)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.outputShape(Shape.of(28)));
        assertThrows(IllegalArgumentException.class, () -> new Conv(0, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new Conv(3, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new Conv(3, 3, 1).padding(-1));
        Tensor t = new Tensor(Shape.of(1, 28, 28), 1);
        assertThrows(IllegalStateException.class, () -> c.forward(t, new Tensor(Shape.of(6, 24, 26), 1), new LayerContext(c.parameters())));
        assertEquals(2L * 6 * 24 * 26 * 15, c.flops(Shape.of(1, 28, 28)));
    }

    // ---------------------------------------------------------------- gradient check property

    record Dims(int c, int h, int w, int kh, int kw, int pad, int filters, int batch) {
        Shape input() {
            return Shape.of(c, h, w);
        }

        int outSize() {
            return filters * (h + 2 * pad - kh + 1) * (w + 2 * pad - kw + 1);
        }
    }

    record Case(Dims d, int extraCapacity, float[] x, float[] weights, float[] biases, float[] r) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Dims> dims = Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(3, 9), Arbitraries.integers().between(3, 9),
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3))
                .as(Dims::new)
                .filter(d -> d.kh() <= d.h() + 2 * d.pad() && d.kw() <= d.w() + 2 * d.pad());
        return dims.flatMap(d -> Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Layers.floats(d.batch() * d.c() * d.h() * d.w()),
                Layers.floats(d.filters() * d.c() * d.kh() * d.kw()),
                Layers.floats(d.filters()),
                Layers.floats(d.batch() * d.outSize()))
                .as((extra, x, wt, b, r) -> new Case(d, extra, x, wt, b, r)));
    }

    @Property(tries = 120, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("cases") Case k) {
        Dims d = k.d();
        Conv conv = Layers.build(new Conv(d.kh(), d.kw(), d.filters()).padding(d.pad()), d.input());
        conv.weight().set(k.weights());
        conv.bias().set(k.biases());
        Tensor in = TestData.tensor(d.input(), d.batch(), d.batch() + k.extraCapacity(), k.x());
GradientCheck.checkLayer(conv, in, k.r(), GradientCheck.Options.FLOAT32).assertOk(d.toString());
    }
}
