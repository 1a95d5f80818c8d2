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
class PoolKernelsTest {

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
        PoolKernels.maxForward(x, xOff, c, h, w, s, y, yOff, sw, sOff);
        float[] dy = new float[yOff + n];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = 1 + rng.nextInt(100);
        }
        float[] dx = new float[dxOff + c * h * w + 2];
        Arrays.fill(dx, -9);
        PoolKernels.maxBackward(dy, yOff, sw, sOff, n, dx, dxOff, c * h * w);

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
        PoolKernels.maxForward(x, 0, c, h, w, s, y, 0, sw, 0);
        if (s == 2) {
            float[] v = new float[n + 1];
            v[n] = 42f;
            PoolKernels.max2Values(x, 0, c, h, w, v, 0);
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
     * The Vector API 2 x 2 kernels give the same outputs and switches as the scalar ones, bit for bit:
     * rows wide enough for its eight-window chunks, ties, zeros of both signs, infinities, and (in
     * some tries) NaNs, which send their chunk to the scalar path. Needs the module (the build's
     * test JVMs have it).
     */
    @Property(tries = 300)
    @Tag("vector-api")
    void vectorKernelEqualsScalarKernel(@ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 2, max = 7) int h,
                                        @ForAll @IntRange(min = 2, max = 41) int w, @ForAll @IntRange(min = 0, max = 2) int nans,
                                        @ForAll long seed) {
        Assume.that(Vectorization.available());
        Rng rng = new Rng(seed);
        float[] pool = {0f, -0f, 1f, -1f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
        int xOff = rng.nextInt(3);
        float[] x = new float[xOff + c * h * w];
        for (int i = 0; i < x.length; i++) {
            int r = rng.nextInt(200);
            x[i] = r < nans ? Float.NaN : r % 3 == 0 ? pool[r % pool.length] : (r % 7) - 3;
        }
        int n = c * (h / 2) * (w / 2);
        float[] ys = new float[n + 1];
        float[] yv = new float[n + 1];
        int[] ss = new int[n + 1];
        int[] sv = new int[n + 1];
        PoolKernels.maxForward(x, xOff, c, h, w, 2, ys, 1, ss, 1, false);
        PoolKernels.maxForward(x, xOff, c, h, w, 2, yv, 1, sv, 1, true);
        float[] vs = new float[n + 1];
        float[] vv = new float[n + 1];
        PoolKernels.max2Values(x, xOff, c, h, w, vs, 1, false);
        PoolKernels.max2Values(x, xOff, c, h, w, vv, 1, true);
        for (int o = 0; o <= n; o++) {
            assertEquals(Float.floatToRawIntBits(vs[o]), Float.floatToRawIntBits(vv[o]), "inference max of window " + o);
            assertEquals(ss[o], sv[o], "switch of window " + o);
            assertEquals(Float.floatToRawIntBits(ys[o]), Float.floatToRawIntBits(yv[o]), "max of window " + o);
        }
    }
}
