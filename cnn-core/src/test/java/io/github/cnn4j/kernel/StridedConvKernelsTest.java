package io.github.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.testing.TestData;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The strided kernels against textbook loops computed in double (batches of one to three samples,
 * each sample's output independent of its neighbours), and bit for bit against {@link ConvKernels}
 * for stride 1. Tolerance as in {@code ConvKernelsTest}: {@code (terms + 2) * 2^-23 * sum|terms|}.
 */
class StridedConvKernelsTest {

    record Dims(int c, int h, int w, int kh, int kw, int pad, int f, int s) {
        int oh() {
            return (h + 2 * pad - kh) / s + 1;
        }

        int ow() {
            return (w + 2 * pad - kw) / s + 1;
        }
    }

    @Provide
    Arbitrary<Dims> dims() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 11), Arbitraries.integers().between(1, 11),
                        Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 4))
                .as(Dims::new)
                .filter(d -> d.kh() <= d.h() + 2 * d.pad() && d.kw() <= d.w() + 2 * d.pad());
    }

    private static double xp(float[] x, int xOff, Dims d, int c, int py, int px) {
        int y = py - d.pad();
        int xx = px - d.pad();
        return y < 0 || y >= d.h() || xx < 0 || xx >= d.w() ? 0 : x[xOff + (c * d.h() + y) * d.w() + xx];
    }

    private static int wIndex(Dims d, int f, int c, int u, int v) {
        return ((f * d.c() + c) * d.kh() + u) * d.kw() + v;
    }

    private static void near(double expected, double absSum, int terms, float actual, String what) {
        double tol = (terms + 2) * Math.ulp(1f) * absSum + 1e-7;
        if (!(Math.abs(expected - actual) <= tol)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
        }
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.FIRST)
    void kernelsEqualNaiveLoops(@ForAll("dims") Dims d, @ForAll @IntRange(min = 1, max = 3) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int inSize = d.c() * d.h() * d.w();
        int outSize = d.f() * d.oh() * d.ow();
        float[] x = TestData.uniform(rng, n * inSize, -1, 1);
        float[] wt = TestData.uniform(rng, d.f() * d.c() * d.kh() * d.kw(), -1, 1);
        float[] b = TestData.uniform(rng, d.f(), -1, 1);
        float[] dy = TestData.uniform(rng, n * outSize, -1, 1);
        float[] y = new float[n * outSize + 1];
        y[n * outSize] = 42f;
        ConvScratch scratch = new ConvScratch();
        StridedConvKernels.forward(x, 0, n, d.c(), d.h(), d.w(), wt, b, d.f(), d.kh(), d.kw(), d.pad(), d.s(), y, 0, scratch);
        assertEquals(42f, y[n * outSize], "wrote past the batch");
        int terms = d.c() * d.kh() * d.kw() + 1;
        for (int m = 0; m < n; m++) {
            for (int f = 0; f < d.f(); f++) {
                for (int i = 0; i < d.oh(); i++) {
                    for (int j = 0; j < d.ow(); j++) {
                        double sum = b[f];
                        double abs = Math.abs(b[f]);
                        for (int c = 0; c < d.c(); c++) {
                            for (int u = 0; u < d.kh(); u++) {
                                for (int v = 0; v < d.kw(); v++) {
                                    double t = wt[wIndex(d, f, c, u, v)] * xp(x, m * inSize, d, c, d.s() * i + u, d.s() * j + v);
                                    sum += t;
                                    abs += Math.abs(t);
                                }
                            }
                        }
                        near(sum, abs, terms, y[m * outSize + (f * d.oh() + i) * d.ow() + j], "y" + d + " sample " + m);
                    }
                }
            }
            // a sample's output does not depend on its neighbours in the batch
            float[] alone = new float[outSize];
            StridedConvKernels.forward(x, m * inSize, 1, d.c(), d.h(), d.w(), wt, b, d.f(), d.kh(), d.kw(), d.pad(), d.s(), alone, 0,
                    new ConvScratch());
            assertArrayEquals(alone, java.util.Arrays.copyOfRange(y, m * outSize, (m + 1) * outSize), "sample " + m + " alone");
        }
        float[] dw = new float[wt.length];
        float[] db = new float[d.f()];
        float[] dx = new float[n * inSize + 1];
        dx[n * inSize] = 42f;
        StridedConvKernels.backward(x, 0, n, d.c(), d.h(), d.w(), wt, d.f(), d.kh(), d.kw(), d.pad(), d.s(), dy, 0, dw, db, dx, 0, scratch);
        assertEquals(42f, dx[n * inSize], "wrote past the batch");
        int pw = d.w() + 2 * d.pad();
        int plane = (d.h() + 2 * d.pad()) * pw;
        double[] dxp = new double[n * d.c() * plane];
        double[] dxAbs = new double[dxp.length];
        int positions = d.oh() * d.ow();
        for (int f = 0; f < d.f(); f++) {
            double bs = 0;
            double babs = 0;
            for (int m = 0; m < n; m++) {
                for (int i = 0; i < positions; i++) {
                    bs += dy[m * outSize + f * positions + i];
                    babs += Math.abs(dy[m * outSize + f * positions + i]);
                }
            }
            near(bs, babs, n * positions, db[f], "db" + d);
            for (int c = 0; c < d.c(); c++) {
                for (int u = 0; u < d.kh(); u++) {
                    for (int v = 0; v < d.kw(); v++) {
                        double s = 0;
                        double abs = 0;
                        for (int m = 0; m < n; m++) {
                            for (int i = 0; i < d.oh(); i++) {
                                for (int j = 0; j < d.ow(); j++) {
                                    double g = dy[m * outSize + (f * d.oh() + i) * d.ow() + j];
                                    double t = g * xp(x, m * inSize, d, c, d.s() * i + u, d.s() * j + v);
                                    s += t;
                                    abs += Math.abs(t);
                                    int k = (m * d.c() + c) * plane + (d.s() * i + u) * pw + d.s() * j + v;
                                    dxp[k] += g * wt[wIndex(d, f, c, u, v)];
                                    dxAbs[k] += Math.abs(g * wt[wIndex(d, f, c, u, v)]);
                                }
                            }
                        }
                        near(s, abs, n * positions, dw[wIndex(d, f, c, u, v)], "dW" + d);
                    }
                }
            }
        }
        for (int m = 0; m < n; m++) {
            for (int c = 0; c < d.c(); c++) {
                for (int yy = 0; yy < d.h(); yy++) {
                    for (int xx = 0; xx < d.w(); xx++) {
                        int k = (m * d.c() + c) * plane + (yy + d.pad()) * pw + xx + d.pad();
                        near(dxp[k], dxAbs[k], d.f() * d.kh() * d.kw(), dx[m * inSize + (c * d.h() + yy) * d.w() + xx], "dx" + d);
                    }
                }
            }
        }
        // dx == null leaves the parameter gradients as they were
        float[] dw2 = new float[wt.length];
        float[] db2 = new float[d.f()];
        StridedConvKernels.backward(x, 0, n, d.c(), d.h(), d.w(), wt, d.f(), d.kh(), d.kw(), d.pad(), d.s(), dy, 0, dw2, db2, null, 0,
                new ConvScratch());
        assertArrayEquals(dw, dw2);
        assertArrayEquals(db, db2);
    }

    @Test
    void strideOneMatchesTheWideRowKernels() {
        Rng rng = new Rng(9);
        int c = 2;
        int h = 9;
        int w = 7;
        int f = 3;
        int k = 3;
        int pad = 1;
        float[] x = TestData.uniform(rng, c * h * w, -1, 1);
        float[] wt = TestData.uniform(rng, f * c * k * k, -1, 1);
        float[] b = TestData.uniform(rng, f, -1, 1);
        int outSize = f * h * w;
        float[] a = new float[outSize];
        float[] e = new float[outSize];
        StridedConvKernels.forward(x, 0, 1, c, h, w, wt, b, f, k, k, pad, 1, a, 0, new ConvScratch());
        ConvKernels.forward(x, 0, 1, c, h, w, wt, b, f, k, k, pad, e, 0, new ConvScratch());
        // the same terms in the same order with the same fused multiply-adds
        assertArrayEquals(e, a);
        assertEquals(14, StridedConvKernels.outputSize(28, 2, 0, 2));
        assertEquals(14, StridedConvKernels.outputSize(28, 3, 1, 2));
        assertEquals(13, StridedConvKernels.outputSize(28, 3, 0, 2), "floor: the last column is not used");
    }
}
