package io.github.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.testing.TestData;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The strided kernels against textbook loops computed in double (batches of one to three samples,
 * each sample's output independent of its neighbours), and bit for bit against {@link ConvKernels}
 * for stride 1. Tolerance as in {@code ConvKernelsTest}: {@code (terms + 2) * 2^-23 * sum|terms|}.
 * With the Vector API module (the build's first test JVM), the vector kernel against the scalar one:
 * the forward pass bit for bit, the gradients within twice that tolerance, and repeated calls bit
 * for bit.
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

    @Property(tries = 150, edgeCases = EdgeCasesMode.MIXIN)
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

    @Provide
    Arbitrary<Dims> stridedDims() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(1, 9), Arbitraries.integers().between(2, 3))
                .as(Dims::new)
                .filter(d -> d.kh() <= d.h() + 2 * d.pad() && d.kw() <= d.w() + 2 * d.pad());
    }

    /** The vector kernel against the scalar one on random shapes, batches of one to five samples. */
    @Property(tries = 250, edgeCases = EdgeCasesMode.MIXIN)
    @Tag("vector-api")
    void vectorKernelMatchesScalarKernel(@ForAll("stridedDims") Dims d, @ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        Assume.that(Vectorization.available());
        vectorAgainstScalar(d, n, new Rng(seed));
    }

    /**
     * The residual network's strided layers (3 x 3 and 1 x 1 projections, stride 2), a plane of more
     * than {@code ConvLayout.GROUP_POSITIONS} outputs (one sample per group) and filter counts that
     * leave one to three filters after the blocks of four.
     */
    @Test
    @Tag("vector-api")
    void vectorKernelMatchesScalarKernelOnTheNetworksShapes() {
        Assumptions.assumeTrue(Vectorization.available(), "needs the Vector API module");
        vectorAgainstScalar(new Dims(16, 28, 28, 3, 3, 1, 32, 2), 3, new Rng(1));
        vectorAgainstScalar(new Dims(16, 28, 28, 1, 1, 0, 32, 2), 3, new Rng(2));
        vectorAgainstScalar(new Dims(32, 14, 14, 3, 3, 1, 64, 2), 5, new Rng(3));
        vectorAgainstScalar(new Dims(32, 14, 14, 1, 1, 0, 64, 2), 5, new Rng(4));
        vectorAgainstScalar(new Dims(2, 100, 98, 3, 3, 1, 7, 2), 2, new Rng(5));
        vectorAgainstScalar(new Dims(3, 13, 13, 5, 5, 2, 6, 3), 45, new Rng(6));
    }

    /** Exact sums (in double) and sums of magnitudes of the backward pass, the input gradient still padded. */
    private record Reference(double[] dw, double[] dwAbs, double[] db, double[] dbAbs, double[] dxp, double[] dxAbs) {
    }

    private static Reference reference(Dims d, int n, float[] x, int xOff, float[] wt, float[] dy, int dyOff) {
        int inSize = d.c() * d.h() * d.w();
        int outSize = d.f() * d.oh() * d.ow();
        int pw = d.w() + 2 * d.pad();
        int plane = (d.h() + 2 * d.pad()) * pw;
        Reference r = new Reference(new double[wt.length], new double[wt.length], new double[d.f()], new double[d.f()],
                new double[n * d.c() * plane], new double[n * d.c() * plane]);
        for (int m = 0; m < n; m++) {
            for (int f = 0; f < d.f(); f++) {
                for (int i = 0; i < d.oh(); i++) {
                    for (int j = 0; j < d.ow(); j++) {
                        double g = dy[dyOff + m * outSize + (f * d.oh() + i) * d.ow() + j];
                        r.db()[f] += g;
                        r.dbAbs()[f] += Math.abs(g);
                        for (int c = 0; c < d.c(); c++) {
                            for (int u = 0; u < d.kh(); u++) {
                                for (int v = 0; v < d.kw(); v++) {
                                    int wi = wIndex(d, f, c, u, v);
                                    double t = g * xp(x, xOff + m * inSize, d, c, d.s() * i + u, d.s() * j + v);
                                    r.dw()[wi] += t;
                                    r.dwAbs()[wi] += Math.abs(t);
                                    int k = (m * d.c() + c) * plane + (d.s() * i + u) * pw + d.s() * j + v;
                                    r.dxp()[k] += g * wt[wi];
                                    r.dxAbs()[k] += Math.abs(g * wt[wi]);
                                }
                            }
                        }
                    }
                }
            }
        }
        return r;
    }

    /** {@code actual} within the tolerance of the exact sum, and within twice the tolerance of the scalar kernel's {@code scalar}. */
    private static void close(double expected, double absSum, int terms, float scalar, float actual, String what) {
        near(expected, absSum, terms, actual, what);
        double tol = 2 * ((terms + 2) * Math.ulp(1f) * absSum + 1e-7);
        if (!(Math.abs(scalar - actual) <= tol)) {
            throw new AssertionError(what + ": scalar " + scalar + " but vector " + actual + " (tolerance " + tol + ")");
        }
    }

    private static void vectorAgainstScalar(Dims d, int n, Rng rng) {
        String what = d + " x" + n;
        int inSize = d.c() * d.h() * d.w();
        int outSize = d.f() * d.oh() * d.ow();
        int xOff = rng.nextInt(5);
        int yOff = rng.nextInt(5);
        float[] x = TestData.uniform(rng, xOff + n * inSize + 3, -1, 1);
        float[] wt = TestData.uniform(rng, d.f() * d.c() * d.kh() * d.kw(), -1, 1);
        float[] b = TestData.uniform(rng, d.f(), -1, 1);
        float[] dy = TestData.uniform(rng, yOff + n * outSize + 2, -1, 1);
        float[] xBefore = x.clone();
        float[] wBefore = wt.clone();
        float[] dyBefore = dy.clone();

        // ---- forward: the same bits, nothing written around the samples, the same bits again
        float[] ys = new float[yOff + n * outSize + 3];
        float[] yv = new float[ys.length];
        Arrays.fill(ys, 7f);
        Arrays.fill(yv, 7f);
        ConvScratch scratch = new ConvScratch();
        StridedConvKernels.forward(x, xOff, n, d.c(), d.h(), d.w(), wt, b, d.f(), d.kh(), d.kw(), d.pad(), d.s(), ys, yOff,
                new ConvScratch(), false);
        StridedConvKernels.forward(x, xOff, n, d.c(), d.h(), d.w(), wt, b, d.f(), d.kh(), d.kw(), d.pad(), d.s(), yv, yOff, scratch, true);
        assertTrue(Arrays.equals(ys, yv), "vector and scalar forward passes differ, " + what);
        float[] again = new float[ys.length];
        Arrays.fill(again, 7f);
        StridedConvKernels.forward(x, xOff, n, d.c(), d.h(), d.w(), wt, b, d.f(), d.kh(), d.kw(), d.pad(), d.s(), again, yOff, scratch, true);
        assertTrue(Arrays.equals(yv, again), "a second vector forward pass differs, " + what);

        // ---- backward onto existing gradients
        float[] dwStart = TestData.uniform(rng, wt.length, -1, 1);
        float[] dbStart = TestData.uniform(rng, d.f(), -1, 1);
        int dxOff = rng.nextInt(5);
        float[] dws = dwStart.clone();
        float[] dbs = dbStart.clone();
        float[] dxs = new float[dxOff + n * inSize + 2];
        Arrays.fill(dxs, 7f);
        ConvScratch scalarScratch = new ConvScratch();
        StridedConvKernels.forward(x, xOff, n, d.c(), d.h(), d.w(), wt, b, d.f(), d.kh(), d.kw(), d.pad(), d.s(), again, yOff,
                scalarScratch, false);
        StridedConvKernels.backward(x, xOff, n, d.c(), d.h(), d.w(), wt, d.f(), d.kh(), d.kw(), d.pad(), d.s(), dy, yOff,
                dws, dbs, dxs, dxOff, scalarScratch, false);
        float[] dwv = dwStart.clone();
        float[] dbv = dbStart.clone();
        float[] dxv = new float[dxs.length];
        Arrays.fill(dxv, 7f);
        StridedConvKernels.backward(x, xOff, n, d.c(), d.h(), d.w(), wt, d.f(), d.kh(), d.kw(), d.pad(), d.s(), dy, yOff,
                dwv, dbv, dxv, dxOff, scratch, true);
        assertTrue(Arrays.equals(xBefore, x) && Arrays.equals(wBefore, wt) && Arrays.equals(dyBefore, dy), "inputs modified, " + what);
        for (int i = 0; i < dxOff; i++) {
            assertEquals(7f, dxv[i], "wrote before the input gradient, " + what);
        }
        for (int i = dxOff + n * inSize; i < dxv.length; i++) {
            assertEquals(7f, dxv[i], "wrote after the input gradient, " + what);
        }
        long bound = StridedConvKernels.scratchValues(d.c(), d.h(), d.w(), d.f(), d.kh(), d.kw(), d.pad(), d.s(), n, true);
        assertTrue(size(scratch) <= bound, "vector scratch " + size(scratch) + " > bound " + bound + ", " + what);
        assertTrue(size(scalarScratch) <= bound, "scalar scratch " + size(scalarScratch) + " > bound " + bound + ", " + what);
        Reference r = reference(d, n, x, xOff, wt, dy, yOff);
        int positions = d.oh() * d.ow();
        for (int f = 0; f < d.f(); f++) {
            close(dbStart[f] + r.db()[f], Math.abs(dbStart[f]) + r.dbAbs()[f], n * positions + 1, dbs[f], dbv[f], "db" + f + " " + what);
        }
        for (int i = 0; i < wt.length; i++) {
            close(dwStart[i] + r.dw()[i], Math.abs(dwStart[i]) + r.dwAbs()[i], n * positions + 1, dws[i], dwv[i], "dW" + i + " " + what);
        }
        int pw = d.w() + 2 * d.pad();
        int plane = (d.h() + 2 * d.pad()) * pw;
        for (int m = 0; m < n; m++) {
            for (int c = 0; c < d.c(); c++) {
                for (int yy = 0; yy < d.h(); yy++) {
                    for (int xx = 0; xx < d.w(); xx++) {
                        int k = (m * d.c() + c) * plane + (yy + d.pad()) * pw + xx + d.pad();
                        int o = dxOff + m * inSize + (c * d.h() + yy) * d.w() + xx;
                        close(r.dxp()[k], r.dxAbs()[k], d.f() * d.kh() * d.kw(), dxs[o], dxv[o], "dx" + o + " " + what);
                    }
                }
            }
        }

        // ---- determinism: the same bits with a fresh scratch and with the used one; without dx, the same dW and db
        for (ConvScratch sc : new ConvScratch[] {new ConvScratch(), scratch}) {
            float[] dw2 = dwStart.clone();
            float[] db2 = dbStart.clone();
            float[] dx2 = new float[dxs.length];
            Arrays.fill(dx2, 7f);
            StridedConvKernels.backward(x, xOff, n, d.c(), d.h(), d.w(), wt, d.f(), d.kh(), d.kw(), d.pad(), d.s(), dy, yOff,
                    dw2, db2, dx2, dxOff, sc, true);
            assertTrue(Arrays.equals(dwv, dw2) && Arrays.equals(dbv, db2) && Arrays.equals(dxv, dx2), "a second backward pass differs, " + what);
        }
        float[] dw3 = dwStart.clone();
        float[] db3 = dbStart.clone();
        StridedConvKernels.backward(x, xOff, n, d.c(), d.h(), d.w(), wt, d.f(), d.kh(), d.kw(), d.pad(), d.s(), dy, yOff,
                dw3, db3, null, 0, scratch, true);
        assertTrue(Arrays.equals(dwv, dw3) && Arrays.equals(dbv, db3), "the parameter gradients depend on dx == null, " + what);
    }

    /** Floats and ints held by a scratch. */
    private static long size(ConvScratch s) {
        long n = (long) s.padded.length + s.padded2.length + s.rotated.length + s.col.length + s.colGrad.length + s.dyPacked.length
                + s.lanes.length + s.tapOffsets.length + s.positionOffsets.length + s.pairOffsets.length + s.targets.length;
        for (float[][] rows : new float[][][] {s.taps, s.acc, s.dz, s.rows}) {
            for (float[] r : rows) {
                n += r == null ? 0 : r.length;
            }
        }
        return n;
    }
}
