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
import org.junit.jupiter.api.Test;

/**
 * The strided kernels against textbook loops computed in double, and against {@link ConvKernels}
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

    private static double xp(float[] x, Dims d, int c, int py, int px) {
        int y = py - d.pad();
        int xx = px - d.pad();
        return y < 0 || y >= d.h() || xx < 0 || xx >= d.w() ? 0 : x[(c * d.h() + y) * d.w() + xx];
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
    void kernelsEqualNaiveLoops(@ForAll("dims") Dims d, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int inSize = d.c() * d.h() * d.w();
        int outSize = d.f() * d.oh() * d.ow();
        float[] x = TestData.uniform(rng, inSize, -1, 1);
        float[] wt = TestData.uniform(rng, d.f() * d.c() * d.kh() * d.kw(), -1, 1);
        float[] b = TestData.uniform(rng, d.f(), -1, 1);
        float[] dy = TestData.uniform(rng, outSize, -1, 1);
        float[] y = new float[outSize];
        StridedConvKernels.forward(x, 0, d.c(), d.h(), d.w(), wt, b, d.f(), d.kh(), d.kw(), d.pad(), d.s(), y, 0,
                new float[StridedConvKernels.forwardWorkSize(d.c(), d.h(), d.w(), d.pad())]);
        int terms = d.c() * d.kh() * d.kw() + 1;
        for (int f = 0; f < d.f(); f++) {
            for (int i = 0; i < d.oh(); i++) {
                for (int j = 0; j < d.ow(); j++) {
                    double sum = b[f];
                    double abs = Math.abs(b[f]);
                    for (int c = 0; c < d.c(); c++) {
                        for (int u = 0; u < d.kh(); u++) {
                            for (int v = 0; v < d.kw(); v++) {
                                double t = wt[wIndex(d, f, c, u, v)] * xp(x, d, c, d.s() * i + u, d.s() * j + v);
                                sum += t;
                                abs += Math.abs(t);
                            }
                        }
                    }
                    near(sum, abs, terms, y[(f * d.oh() + i) * d.ow() + j], "y" + d);
                }
            }
        }
        float[] dw = new float[wt.length];
        float[] db = new float[d.f()];
        float[] dx = new float[inSize];
        StridedConvKernels.backward(x, 0, d.c(), d.h(), d.w(), wt, d.f(), d.kh(), d.kw(), d.pad(), d.s(), dy, 0, dw, db, dx, 0,
                new float[StridedConvKernels.backwardWorkSize(d.c(), d.h(), d.w(), d.pad())]);
        double[] dxp = new double[d.c() * (d.h() + 2 * d.pad()) * (d.w() + 2 * d.pad())];
        double[] dxAbs = new double[dxp.length];
        int pw = d.w() + 2 * d.pad();
        int plane = (d.h() + 2 * d.pad()) * pw;
        for (int f = 0; f < d.f(); f++) {
            double bs = 0;
            double babs = 0;
            for (int i = 0; i < d.oh() * d.ow(); i++) {
                bs += dy[f * d.oh() * d.ow() + i];
                babs += Math.abs(dy[f * d.oh() * d.ow() + i]);
            }
            near(bs, babs, d.oh() * d.ow(), db[f], "db" + d);
            for (int c = 0; c < d.c(); c++) {
                for (int u = 0; u < d.kh(); u++) {
                    for (int v = 0; v < d.kw(); v++) {
                        double s = 0;
                        double abs = 0;
                        for (int i = 0; i < d.oh(); i++) {
                            for (int j = 0; j < d.ow(); j++) {
                                double g = dy[(f * d.oh() + i) * d.ow() + j];
                                double t = g * xp(x, d, c, d.s() * i + u, d.s() * j + v);
                                s += t;
                                abs += Math.abs(t);
                                int k = c * plane + (d.s() * i + u) * pw + d.s() * j + v;
                                dxp[k] += g * wt[wIndex(d, f, c, u, v)];
                                dxAbs[k] += Math.abs(g * wt[wIndex(d, f, c, u, v)]);
                            }
                        }
                        near(s, abs, d.oh() * d.ow(), dw[wIndex(d, f, c, u, v)], "dW" + d);
                    }
                }
            }
        }
        for (int c = 0; c < d.c(); c++) {
            for (int yy = 0; yy < d.h(); yy++) {
                for (int xx = 0; xx < d.w(); xx++) {
                    int k = c * plane + (yy + d.pad()) * pw + xx + d.pad();
                    near(dxp[k], dxAbs[k], d.f() * d.kh() * d.kw(), dx[(c * d.h() + yy) * d.w() + xx], "dx" + d);
                }
            }
        }
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
        StridedConvKernels.forward(x, 0, c, h, w, wt, b, f, k, k, pad, 1, a, 0, new float[StridedConvKernels.forwardWorkSize(c, h, w, pad)]);
        ConvKernels.forward(x, 0, 1, c, h, w, wt, b, f, k, k, pad, e, 0, new ConvScratch());
        assertArrayEquals(e, a, 1e-5f);
        assertEquals(14, StridedConvKernels.outputSize(28, 2, 0, 2));
        assertEquals(14, StridedConvKernels.outputSize(28, 3, 1, 2));
        assertEquals(13, StridedConvKernels.outputSize(28, 3, 0, 2), "floor: the last column is not used");
    }
}
