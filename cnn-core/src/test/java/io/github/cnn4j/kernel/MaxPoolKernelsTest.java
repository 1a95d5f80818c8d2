package io.github.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import java.util.Arrays;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;

/** Max pooling against a naive reference, with values from {0, 1, 2} so that ties are everywhere. */
class MaxPoolKernelsTest {

    @Property(tries = 200)
    void matchesTheNaiveFirstMaximumReference(@ForAll @IntRange(min = 1, max = 4) int s, @ForAll @IntRange(min = 1, max = 3) int c,
                                              @ForAll @IntRange(min = 1, max = 11) int h, @ForAll @IntRange(min = 1, max = 11) int w,
                                              @ForAll long seed) {
        Assume.that(s <= h && s <= w);
        Rng rng = new Rng(seed);
        int xOff = rng.nextInt(4);
        int yOff = rng.nextInt(4);
        int sOff = rng.nextInt(4);
        int dxOff = rng.nextInt(4);
        int oh = h / s;
        int ow = w / s;
        int n = c * oh * ow;
        float[] x = new float[xOff + c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(3);
        }
        float[] y = new float[yOff + n + 2];
        Arrays.fill(y, -9);
        int[] sw = new int[sOff + n];
        MaxPoolKernels.maxForward(x, xOff, c, h, w, s, y, yOff, sw, sOff);
        float[] dy = new float[yOff + n];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = 1 + rng.nextInt(100);
        }
        float[] dx = new float[dxOff + c * h * w + 2];
        Arrays.fill(dx, -9);
        MaxPoolKernels.maxBackward(dy, yOff, sw, sOff, n, dx, dxOff, c * h * w);

        float[] expectedDx = new float[c * h * w];
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    for (int u = 0; u < s; u++) {
                        for (int v = 0; v < s; v++) {
                            int k = (ci * h + i * s + u) * w + j * s + v;
                            if (best < 0 || x[xOff + k] > x[xOff + best]) {
                                best = k;
                            }
                        }
                    }
                    int o = (ci * oh + i) * ow + j;
                    assertEquals(x[xOff + best], y[yOff + o], "max of window " + o);
                    assertEquals(best, sw[sOff + o], "switch of window " + o);
                    expectedDx[best] += dy[yOff + o];
                }
            }
        }
        for (int k = 0; k < expectedDx.length; k++) {
            assertEquals(expectedDx[k], dx[dxOff + k], "dx[" + k + "]");
        }
        for (int k = 0; k < dxOff; k++) {
            assertEquals(-9f, dx[k]);
        }
        assertEquals(-9f, dx[dxOff + c * h * w]);
        assertEquals(-9f, y[yOff + n]);
    }

    /**
     * With NaN and infinities of both signs among the values: the first NaN of a window wins,
     * otherwise the first maximum. Covers the branch-free 2 x 2 path and its fallback.
     */
    @Property(tries = 200)
    void specialValuesFollowTheNanFirstRule(@ForAll @IntRange(min = 1, max = 3) int s, @ForAll @IntRange(min = 1, max = 2) int c,
                                            @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                            @ForAll long seed) {
        Assume.that(s <= h && s <= w);
        Rng rng = new Rng(seed);
        float[] pool = {0f, 1f, -1f, 2f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] x = new float[c * h * w];
        for (int i = 0; i < x.length; i++) {
            int r = rng.nextInt(20);
            x[i] = r < pool.length ? pool[r] : r - 10;
        }
        int oh = h / s;
        int ow = w / s;
        int n = c * oh * ow;
        float[] y = new float[n];
        int[] sw = new int[n];
        MaxPoolKernels.maxForward(x, 0, c, h, w, s, y, 0, sw, 0);
        if (s == 2) {
            float[] v = new float[n + 1];
            v[n] = 42f;
            MaxPoolKernels.max2Values(x, 0, c, h, w, v, 0);
            for (int o = 0; o < n; o++) {
                // the same value; only the sign of a zero maximum and a NaN's bits may differ
                assertTrue(v[o] == y[o] || (Float.isNaN(v[o]) && Float.isNaN(y[o])), "inference max of window " + o + ": " + v[o] + " vs " + y[o]);
            }
            assertEquals(42f, v[n], "wrote past its windows");
        }
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    for (int u = 0; u < s && (best < 0 || !Float.isNaN(x[best])); u++) {
                        for (int v = 0; v < s; v++) {
                            int k = (ci * h + i * s + u) * w + j * s + v;
                            if (best < 0 || Float.isNaN(x[k]) || x[k] > x[best]) {
                                best = k;
                                if (Float.isNaN(x[k])) {
                                    break;
                                }
                            }
                        }
                    }
                    int o = (ci * oh + i) * ow + j;
                    assertEquals(best, sw[o], "switch of window " + o + " in " + Arrays.toString(x));
                    assertEquals(Float.floatToIntBits(x[best]), Float.floatToIntBits(y[o]), "max of window " + o);
                }
            }
        }
    }

    /**
     * The Vector API kernels give the same outputs and switches as the scalar ones, bit for bit, for
     * every window size (2 x 2 and 3 x 3 run vector code, the others route to the scalar loop): planes
     * of fewer and more than eight windows, rows shorter than eight windows, ties, zeros of both
     * signs, infinities, and (in some tries) NaNs, which send their chunk to the scalar path. Needs
     * the module (the build's test JVMs have it).
     */
    @Property(tries = 300)
    @Tag("vector-api")
    void vectorKernelEqualsScalarKernel(@ForAll @IntRange(min = 1, max = 4) int s, @ForAll @IntRange(min = 1, max = 3) int c,
                                        @ForAll @IntRange(min = 2, max = 14) int h, @ForAll @IntRange(min = 2, max = 41) int w,
                                        @ForAll @IntRange(min = 0, max = 2) int nans, @ForAll long seed) {
        Assume.that(Vectorization.available());
        Assume.that(s <= h && s <= w);
        Rng rng = new Rng(seed);
        float[] pool = {0f, -0f, 1f, -1f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
        int xOff = rng.nextInt(3);
        float[] x = new float[xOff + c * h * w];
        for (int i = 0; i < x.length; i++) {
            int r = rng.nextInt(200);
            x[i] = r < nans ? Float.NaN : r % 3 == 0 ? pool[r % pool.length] : (r % 7) - 3;
        }
        int n = c * (h / s) * (w / s);
        float[] ys = new float[n + 1];
        float[] yv = new float[n + 1];
        int[] ss = new int[n + 1];
        int[] sv = new int[n + 1];
        MaxPoolKernels.maxForward(x, xOff, c, h, w, s, ys, 1, ss, 1, false);
        MaxPoolKernels.maxForward(x, xOff, c, h, w, s, yv, 1, sv, 1, true);
        float[] vs = new float[n + 1];
        float[] vv = new float[n + 1];
        if (s == 2) {
            MaxPoolKernels.max2Values(x, xOff, c, h, w, vs, 1, false);
            MaxPoolKernels.max2Values(x, xOff, c, h, w, vv, 1, true);
        }
        for (int o = 0; o <= n; o++) {
            assertEquals(Float.floatToRawIntBits(vs[o]), Float.floatToRawIntBits(vv[o]), "inference max of window " + o);
            assertEquals(ss[o], sv[o], "switch of window " + o);
            assertEquals(Float.floatToRawIntBits(ys[o]), Float.floatToRawIntBits(yv[o]), "max of window " + o);
        }
    }

    /** The networks' pooling shapes (model F's 3 x 3 on 28 x 28, the 4-window rows of 8 x 8 inputs, B's 24 x 24), vector against scalar. */
    @org.junit.jupiter.api.Test
    @Tag("vector-api")
    void vectorKernelEqualsScalarKernelOnTheNetworksShapes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Vectorization.available(), "needs the Vector API module");
        int[][] shapes = {{8, 28, 28, 3}, {16, 8, 8, 2}, {6, 24, 24, 2}, {8, 9, 9, 3}, {3, 6, 6, 3}};
        Rng rng = new Rng(5);
        for (int[] sh : shapes) {
            int c = sh[0];
            int h = sh[1];
            int w = sh[2];
            int s = sh[3];
            float[] x = new float[c * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextInt(5) - 2 + (i == 37 ? Float.NaN : 0);
            }
            int n = c * (h / s) * (w / s);
            float[] ys = new float[n];
            float[] yv = new float[n];
            int[] ss = new int[n];
            int[] sv = new int[n];
            MaxPoolKernels.maxForward(x, 0, c, h, w, s, ys, 0, ss, 0, false);
            MaxPoolKernels.maxForward(x, 0, c, h, w, s, yv, 0, sv, 0, true);
            assertTrue(Arrays.equals(ss, sv), "switches differ for " + Arrays.toString(sh));
            for (int o = 0; o < n; o++) {
                assertEquals(Float.floatToRawIntBits(ys[o]), Float.floatToRawIntBits(yv[o]), "max of window " + o + " for " + Arrays.toString(sh));
            }
        }
    }

    /**
     * The window-offset tables of the networks' pooling shapes stay cached side by side (the same
     * array on every call, so a steady-state pass allocates nothing), and each table is right.
     */
    @org.junit.jupiter.api.Test
    @Tag("vector-api")
    void windowOffsetTablesAreCachedPerShape() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Vectorization.available(), "needs the Vector API module");
        int[][] shapes = {{24, 24, 2}, {8, 8, 2}, {28, 28, 3}, {26, 26, 2}, {12, 12, 2}, {9, 9, 3}};
        VectorMaxPoolKernels.clearOffsets(); // other tests leave their random shapes behind
        int[][] first = new int[shapes.length][];
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < shapes.length; k++) {
                int[] sh = shapes[k];
                int[] off = VectorMaxPoolKernels.offsets(sh[0], sh[1], sh[2]);
                if (round == 0) {
                    first[k] = off;
                    int ow = sh[1] / sh[2];
                    assertEquals((sh[0] / sh[2]) * ow, off.length);
                    for (int q = 0; q < off.length; q++) {
                        assertEquals(sh[2] * (q / ow) * sh[1] + sh[2] * (q % ow), off[q], "window " + q + " of " + Arrays.toString(sh));
                    }
                } else {
                    assertTrue(first[k] == off, "table of " + Arrays.toString(sh) + " recomputed in round " + round);
                }
            }
        }
    }
}
