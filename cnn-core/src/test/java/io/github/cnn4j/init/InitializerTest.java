package io.github.cnn4j.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class InitializerTest {

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    @Test
    void paperPresetDenseWeightsAndBiases() {
        // 100 * 200 = 20,000 weights: without the |w| >= 0.001 redraw about 80 would fall below it
        Sequential m = Sequential.of(new Flatten(), new Dense(200), new Dense(300), new Softmax()).input(1, 10, 10).seed(1).build();
        assertEquals(InitPreset.PAPER, m.initPreset());
        float[] w = ((Dense) m.layers().get(1)).weight().value();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : w) {
            assertTrue(x >= -0.25f && x < 0.25f, "weight " + x);
            assertTrue(Math.abs(x) >= 0.001f, "weight " + x + " below the 0.001 magnitude");
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertTrue(min < -0.249f && max > 0.249f, "weights do not fill [-0.25, 0.25): " + min + " .. " + max);
        assertEquals(0, mean(w), 0.01);
        List<Float> biases = new ArrayList<>();
        for (int l : new int[] {1, 2}) {
            for (float b : ((Dense) m.layers().get(l)).bias().value()) {
                biases.add(b);
            }
        }
        float bmin = Float.MAX_VALUE;
        float bmax = -Float.MAX_VALUE;
        for (float b : biases) {
            assertTrue(b >= 0.001f && b < 0.25f, "bias " + b);
            bmin = Math.min(bmin, b);
            bmax = Math.max(bmax, b);
        }
        assertTrue(bmin < 0.01f && bmax > 0.24f, "biases do not fill [0.001, 0.25): " + bmin + " .. " + bmax);
    }

    @Test
    void paperPresetConvWeightsAreHeNormalOverKernelAreaTimesChannelsAndBiasesZero() {
        // fanIn = 3 * 3 * 5 = 45: std sqrt(2/45) = 0.2108; 1,800 draws give the std to about 2%
        Sequential m = Sequential.of(new Conv(3, 3, 40)).input(5, 6, 6).seed(2).build();
        Conv c = (Conv) m.layers().get(0);
        assertEquals(Math.sqrt(2.0 / 45), std(c.weight().value()), 0.1 * Math.sqrt(2.0 / 45));
        assertArrayEquals(new float[40], c.bias().value());
    }

    @Test
    void heNormalStdIsSqrtTwoOverFanIn() {
        float[] v = new float[200_000];
        new HeNormal().fill(v, 50, 7, new Rng(3));
        assertEquals(0.2, std(v), 0.002);
        assertEquals(0, mean(v), 0.003);
        assertEquals("he-normal", new HeNormal().name());
    }

    @Test
    void glorotUniformStaysWithinItsBounds() {
        double limit = Math.sqrt(6.0 / (30 + 20));
        float[] v = new float[100_000];
        new GlorotUniform().fill(v, 30, 20, new Rng(4));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : v) {
            assertTrue(Math.abs(x) <= limit, x + " outside +-" + limit);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertTrue(min < -0.99 * limit && max > 0.99 * limit, min + " .. " + max);
        assertEquals(limit / Math.sqrt(3), std(v), 0.01 * limit);
        assertEquals(0, mean(v), 0.01 * limit);
    }

    @Test
    void modernPresetUsesGlorotDenseWeightsAndZeroBiases() {
        Sequential m = Sequential.of(new Flatten(), new Dense(50)).input(1, 10, 10).init(InitPreset.MODERN).seed(5).build();
        Dense d = (Dense) m.layers().get(1);
        double limit = Math.sqrt(6.0 / 150);
        for (float x : d.weight().value()) {
            assertTrue(Math.abs(x) <= limit);
        }
        assertEquals(limit / Math.sqrt(3), std(d.weight().value()), 0.05 * limit);
        assertArrayEquals(new float[50], d.bias().value());
    }

    /** Records what a layer passes to its initializer. */
    private static final class Recording implements Initializer {
        final List<int[]> calls = new ArrayList<>();

        @Override
        public void fill(float[] values, int fanIn, int fanOut, RandomGenerator rng) {
            calls.add(new int[] {values.length, fanIn, fanOut});
            Arrays.fill(values, 0.5f);
        }
    }

    @Test
    void layersPassFanInAndFanOutAndHonourTheirOwnInitializers() {
        Recording cw = new Recording();
        Recording cb = new Recording();
        Recording dw = new Recording();
        Sequential m = Sequential.of(new Conv(3, 2, 4).weightInit(cw).biasInit(cb).padding(1), new Flatten(),
                new Dense(6).weightInit(dw)).input(5, 4, 4).seed(1).build();
        // conv: fanIn = C * KH * KW = 30, fanOut = F * KH * KW = 24
        assertArrayEquals(new int[] {4 * 5 * 3 * 2, 30, 24}, cw.calls.get(0));
        assertArrayEquals(new int[] {4, 30, 24}, cb.calls.get(0));
        assertEquals(1, ((Conv) m.layers().get(0)).padding(), "padding survives weightInit/biasInit");
        // the conv output is (4, 4, 5) -> 80 inputs
        assertArrayEquals(new int[] {80 * 6, 80, 6}, dw.calls.get(0));
        for (float x : ((Conv) m.layers().get(0)).weight().value()) {
            assertEquals(0.5f, x);
        }
        for (float b : ((Dense) m.layers().get(2)).bias().value()) {
            assertTrue(b >= 0.001f && b < 0.25f, "dense bias still from the preset: " + b);
        }
    }

    @Test
    void uniformRangeNeverReturnsItsExclusiveUpperBoundAfterRoundingToFloat() {
        // nextDouble() just below 1 puts the double just below 0.25, which rounds UP to 0.25f
        RandomGenerator edge = new RandomGenerator() {
            private final double[] draws = {Math.nextDown(1.0), 0.75};
            private int i;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return draws[Math.min(i++, draws.length - 1)];
            }
        };
        float[] v = new float[1];
        UniformRange.paperWeights().fill(v, 1, 1, edge);
        assertTrue(v[0] < 0.25f, "got " + v[0]);
        assertEquals(0.125f, v[0], "the out-of-range draw is redrawn");
    }

    @Test
    void uniformRangeValidatesAndConstantFills() {
        assertThrows(IllegalArgumentException.class, () -> new UniformRange(1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new UniformRange(0, 1, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new UniformRange(-0.5, 0.5, 0.5));
        float[] v = new float[5];
        new Constant(1.5f).fill(v, 1, 1, new Rng(1));
        assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f, 1.5f}, v);
        assertEquals("zeros", Constant.zeros().name());
        float[] r = new float[10_000];
        new UniformRange(2, 3, 0).fill(r, 1, 1, new Rng(6));
        for (float x : r) {
            assertTrue(x >= 2 && x < 3);
        }
    }
}
