package io.github.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
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

/**
 * The fast "wide row" convolution kernels against the textbook loops, computed in double.
 *
 * <p>Tolerance: a float sum of {@code n} terms differs from the exact sum by at most about
 * {@code n * 2^-24 * sum|terms|}; the check allows {@code (n + 2) * 2^-23 * sum|terms|}. Batches of
 * several samples check the sample grouping; a sample's output must not depend on its neighbours.
 * When the JVM has the Vector API module (the build's test JVMs do), every case is checked on the
 * scalar backward pass, the vector one as {@link VectorConvKernels} chooses it, and each of its
 * variants (the wide layout, the packed columns and, for outputs of whole-vector rows, the rows) forced.
 */
class ConvKernelsTest {

    record Dims(int c, int h, int w, int kh, int kw, int pad, int f) {
        int ph() {
            return h + 2 * pad;
        }

        int pw() {
            return w + 2 * pad;
        }

        int oh() {
            return ph() - kh + 1;
        }

        int ow() {
            return pw() - kw + 1;
        }
    }

    @Provide
    Arbitrary<Dims> dims() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 4))
                .as(Dims::new)
                .filter(d -> d.kh() <= d.ph() && d.kw() <= d.pw());
    }

    /** Value of the zero-padded input at padded coordinates. */
    private static double xp(float[] x, int xOff, Dims d, int c, int py, int px) {
        int y = py - d.pad();
        int xx = px - d.pad();
        if (y < 0 || y >= d.h() || xx < 0 || xx >= d.w()) {
            return 0;
        }
        return x[xOff + (c * d.h() + y) * d.w() + xx];
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

    @Property(tries = 200, edgeCases = EdgeCasesMode.FIRST)
    void fastKernelsEqualNaiveLoops(@ForAll("dims") Dims d, @ForAll long seed) {
        Rng rng = new Rng(seed);
        check(d, 1 + rng.nextInt(5), rng);
    }


    /** Planes of more than {@link ConvLayout#GROUP_POSITIONS} floats run one sample per group. */
    @Test
    void largePlanesRunOneSampleAtATime() {
        check(new Dims(2, 47, 45, 5, 5, 1, 3), 3, new Rng(11));
        check(new Dims(1, 28, 28, 3, 3, 0, 8), 2, new Rng(12));
    }

    /** The paper's layer shapes, batched so that several samples share a group. */
    @Test
    void paperShapes() {
        check(new Dims(1, 28, 28, 5, 5, 0, 6), 5, new Rng(21));
        check(new Dims(6, 12, 12, 5, 5, 0, 6), 17, new Rng(22));
        check(new Dims(8, 13, 13, 3, 3, 0, 8), 16, new Rng(23));
        check(new Dims(10, 13, 13, 3, 3, 0, 6), 3, new Rng(24));
        check(new Dims(8, 9, 9, 3, 3, 1, 8), 16, new Rng(25));
    }

    /** Many channels and filters, small planes: the shapes the packed ("im2col") backward pass is for. */
    @Property(tries = 40, edgeCases = EdgeCasesMode.FIRST)
    void manyChannelsEqualNaiveLoops(@ForAll("manyChannels") Dims d, @ForAll long seed) {
        Rng rng = new Rng(seed);
        check(d, 1 + rng.nextInt(4), rng);
    }

    @Provide
    Arbitrary<Dims> manyChannels() {
        return Combinators.combine(
                Arbitraries.integers().between(4, 16), Arbitraries.integers().between(2, 10), Arbitraries.integers().between(2, 10),
                Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(4, 20))
                .as(Dims::new)
                .filter(d -> d.kh() <= d.ph() && d.kw() <= d.pw());
    }

    /** The modern network's second convolution and residual-network shapes, several samples per call. */
    @Test
    void modernAndResidualShapes() {
        check(new Dims(8, 12, 12, 5, 5, 0, 16), 5, new Rng(31));
        check(new Dims(16, 7, 7, 3, 3, 1, 32), 3, new Rng(32));
        check(new Dims(32, 4, 4, 3, 3, 1, 32), 6, new Rng(33));
    }

    /**
     * Outputs at least eight wide take the row kernel of the vector forward pass (11 wide: blocks at 0
     * and 3, overlapping): bit for bit the scalar forward pass, for any filter count and odd heights.
     */
    @Property(tries = 60, edgeCases = EdgeCasesMode.FIRST)
    void rowForwardHasTheScalarBits(@ForAll("rowShapes") Dims d, @ForAll long seed) {
        Rng rng = new Rng(seed);
        check(d, 1 + rng.nextInt(3), rng);
    }

    @Provide
    Arbitrary<Dims> rowShapes() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 12), Arbitraries.of(8, 11, 16),
                Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(1, 9))
                .as((c, h, ow, kh, kw, pad, f) -> new Dims(c, h, ow + kw - 1 - 2 * pad, kh, kw, pad, f))
                .filter(d -> d.w() >= 1 && d.kh() <= d.ph());
    }

    /** Which backward pass a check runs: the scalar kernels, the vector kernels as chosen, or one vector variant. */
    private enum Mode {
        SCALAR, VECTOR, WIDE, PACKED, ROWS
    }

    private static void check(Dims d, int n, Rng rng) {
        long state = rng.state();
        check(d, n, rng, Mode.SCALAR);
        if (Vectorization.available()) {
            boolean rows = VectorRowConvKernels.handles(d.w(), d.kw(), d.pad());
            for (Mode mode : rows ? Mode.values() : new Mode[] {Mode.VECTOR, Mode.WIDE, Mode.PACKED}) {
                if (mode == Mode.SCALAR) {
                    continue;
                }
                Rng again = new Rng(0);
                again.state(state);
                check(d, n, again, mode);
            }
        }
    }

    private static void backward(Mode mode, float[] x, int xOff, int n, Dims d, float[] weight, float[] dy, int dyOff,
                                 float[] dW, float[] dB, float[] dx, int dxOff, ConvScratch s) {
        switch (mode) {
            case WIDE -> VectorConvKernels.wideBackward(x, xOff, n, d.c(), d.h(), d.w(), weight, d.f(), d.kh(), d.kw(), d.pad(),
                    dy, dyOff, dW, dB, dx, dxOff, s);
            case ROWS -> VectorRowConvKernels.backward(x, xOff, n, d.c(), d.h(), d.w(), weight, d.f(), d.kh(), d.kw(), d.pad(),
                    dy, dyOff, dW, dB, dx, dxOff, s);
            case PACKED -> VectorPackedConvKernels.backward(x, xOff, n, d.c(), d.h(), d.w(), weight, d.f(), d.kh(), d.kw(), d.pad(),
                    dy, dyOff, dW, dB, dx, dxOff, s);
            default -> ConvKernels.backward(x, xOff, n, d.c(), d.h(), d.w(), weight, d.f(), d.kh(), d.kw(), d.pad(), dy, dyOff,
                    dW, dB, dx, dxOff, s, mode == Mode.VECTOR);
        }
    }

    private static void check(Dims d, int n, Rng rng, Mode mode) {
        boolean vector = mode != Mode.SCALAR;
        int xOff = rng.nextInt(5);
        int yOff = rng.nextInt(5);
        int inSize = d.c() * d.h() * d.w();
        int outSize = d.f() * d.oh() * d.ow();
        float[] x = TestData.uniform(rng, xOff + n * inSize + 3, -1, 1);
        float[] weight = TestData.uniform(rng, d.f() * d.c() * d.kh() * d.kw(), -1, 1);
        float[] bias = TestData.uniform(rng, d.f(), -1, 1);
        float[] xBefore = x.clone();
        float[] wBefore = weight.clone();
        ConvScratch scratch = new ConvScratch();
        String what = d + " x" + n + " (" + mode + " kernels)";

        // ---- forward, with garbage in the output around the samples
        float[] y = new float[yOff + n * outSize + 3];
        Arrays.fill(y, 7f);
        ConvKernels.forward(x, xOff, n, d.c(), d.h(), d.w(), weight, bias, d.f(), d.kh(), d.kw(), d.pad(), y, yOff, scratch, vector);
        if (vector) {
            // the vector forward pass performs the same operations in the same order as the scalar one
            float[] scalar = new float[y.length];
            Arrays.fill(scalar, 7f);
            ConvKernels.forward(x, xOff, n, d.c(), d.h(), d.w(), weight, bias, d.f(), d.kh(), d.kw(), d.pad(), scalar, yOff,
                    new ConvScratch(), false);
            assertTrue(Arrays.equals(scalar, y), "vector and scalar forward passes differ, " + what);
        }
        for (int m = 0; m < n; m++) {
            int xs = xOff + m * inSize;
            for (int f = 0; f < d.f(); f++) {
                for (int i = 0; i < d.oh(); i++) {
                    for (int j = 0; j < d.ow(); j++) {
                        double s = bias[f];
                        double abs = Math.abs(bias[f]);
                        for (int c = 0; c < d.c(); c++) {
                            for (int u = 0; u < d.kh(); u++) {
                                for (int v = 0; v < d.kw(); v++) {
                                    double t = weight[wIndex(d, f, c, u, v)] * xp(x, xs, d, c, i + u, j + v);
                                    s += t;
                                    abs += Math.abs(t);
                                }
                            }
                        }
                        near(s, abs, d.c() * d.kh() * d.kw() + 1, y[yOff + m * outSize + (f * d.oh() + i) * d.ow() + j],
                                "y[" + m + "," + f + "," + i + "," + j + "] of " + what);
                    }
                }
            }
        }
        for (int i = 0; i < yOff; i++) {
            assertEquals(7f, y[i], "forward wrote before its samples");
        }
        for (int i = yOff + n * outSize; i < y.length; i++) {
            assertEquals(7f, y[i], "forward wrote after its samples");
        }
        // each sample's output is the same as when it is computed alone
        for (int m = 0; m < n; m++) {
            float[] one = new float[outSize];
            ConvKernels.forward(x, xOff + m * inSize, 1, d.c(), d.h(), d.w(), weight, bias, d.f(), d.kh(), d.kw(), d.pad(), one, 0,
                    new ConvScratch(), vector);
            assertTrue(Arrays.equals(one, Arrays.copyOfRange(y, yOff + m * outSize, yOff + (m + 1) * outSize)),
                    "sample " + m + " of a batch differs from the same sample alone, " + what);
        }

        // ---- backward: gradients accumulate onto existing values, dx is overwritten
        float[] dy = TestData.uniform(rng, yOff + n * outSize, -1, 1);
        float[] dyBefore = dy.clone();
        float[] dW = TestData.uniform(rng, weight.length, -1, 1);
        float[] dWStart = dW.clone();
        float[] dB = TestData.uniform(rng, d.f(), -1, 1);
        float[] dBStart = dB.clone();
        int dxOff = rng.nextInt(5);
        float[] dx = new float[dxOff + n * inSize + 2];
        Arrays.fill(dx, 7f);
        backward(mode, x, xOff, n, d, weight, dy, yOff, dW, dB, dx, dxOff, scratch);

        for (int f = 0; f < d.f(); f++) {
            double sb = dBStart[f];
            double ab = Math.abs(dBStart[f]);
            for (int m = 0; m < n; m++) {
                for (int k = 0; k < d.oh() * d.ow(); k++) {
                    sb += dy[yOff + m * outSize + f * d.oh() * d.ow() + k];
                    ab += Math.abs(dy[yOff + m * outSize + f * d.oh() * d.ow() + k]);
                }
            }
            near(sb, ab, n * d.oh() * d.ow() + n, dB[f], "dB[" + f + "] of " + what);
            for (int c = 0; c < d.c(); c++) {
                for (int u = 0; u < d.kh(); u++) {
                    for (int v = 0; v < d.kw(); v++) {
                        int wi = wIndex(d, f, c, u, v);
                        double s = dWStart[wi];
                        double abs = Math.abs(s);
                        for (int m = 0; m < n; m++) {
                            for (int i = 0; i < d.oh(); i++) {
                                for (int j = 0; j < d.ow(); j++) {
                                    double t = dy[yOff + m * outSize + (f * d.oh() + i) * d.ow() + j] * xp(x, xOff + m * inSize, d, c, i + u, j + v);
                                    s += t;
                                    abs += Math.abs(t);
                                }
                            }
                        }
                        // the fast kernel also sums the zero terms of the wide layout
                        near(s, abs, n * d.ph() * d.pw() + 1, dW[wi], "dW[" + f + "," + c + "," + u + "," + v + "] of " + what);
                    }
                }
            }
        }
        for (int m = 0; m < n; m++) {
            for (int c = 0; c < d.c(); c++) {
                for (int yy = 0; yy < d.h(); yy++) {
                    for (int xx = 0; xx < d.w(); xx++) {
                        double s = 0;
                        double abs = 0;
                        for (int f = 0; f < d.f(); f++) {
                            for (int u = 0; u < d.kh(); u++) {
                                for (int v = 0; v < d.kw(); v++) {
                                    int i = yy + d.pad() - u;
                                    int j = xx + d.pad() - v;
                                    if (i >= 0 && i < d.oh() && j >= 0 && j < d.ow()) {
                                        double t = dy[yOff + m * outSize + (f * d.oh() + i) * d.ow() + j] * weight[wIndex(d, f, c, u, v)];
                                        s += t;
                                        abs += Math.abs(t);
                                    }
                                }
                            }
                        }
                        near(s, abs, d.f() * d.kh() * d.kw(), dx[dxOff + m * inSize + (c * d.h() + yy) * d.w() + xx],
                                "dx[" + m + "," + c + "," + yy + "," + xx + "] of " + what);
                    }
                }
            }
        }
        for (int i = 0; i < dxOff; i++) {
            assertEquals(7f, dx[i], "backward wrote before its samples");
        }
        for (int i = dxOff + n * inSize; i < dx.length; i++) {
            assertEquals(7f, dx[i], "backward wrote after its samples");
        }

        // ---- without dx the parameter gradients are the same
        float[] dW2 = dWStart.clone();
        float[] dB2 = dBStart.clone();
        backward(mode, x, xOff, n, d, weight, dy, yOff, dW2, dB2, null, 0, scratch);
        assertTrue(Arrays.equals(dW, dW2) && Arrays.equals(dB, dB2), "dx == null changes the parameter gradients");

        assertTrue(Arrays.equals(xBefore, x) && Arrays.equals(wBefore, weight) && Arrays.equals(dyBefore, dy),
                "inputs were modified");
    }

    @Test
    void outputSizes() {
        assertEquals(24, ConvKernels.outputSize(28, 5, 0));
        assertEquals(28, ConvKernels.outputSize(28, 5, 2));
        assertEquals(1, ConvKernels.outputSize(3, 5, 1));
    }

    @Test
    void groupsDependOnlyOnThePlaneAndTheBatch() {
        assertEquals(1, ConvLayout.group(28 * 28 * 3, 16));
        assertEquals(2, ConvLayout.group(28 * 28, 16));
        assertEquals(14, ConvLayout.group(12 * 12, 16));
        assertEquals(3, ConvLayout.group(12 * 12, 3));
        assertEquals(1, ConvLayout.group(12 * 12, 1));
    }

    @Test
    void padCopiesIntoTheCentreAndZeroesTheBorder() {
        float[] x = {9, 1, 2, 3, 4, 5, 6};
        float[] dst = new float[1 + 2 * 4 * 5];
        Arrays.fill(dst, 8f);
        // sample at offset 1: 2 channels of 1x3 -> padded by 1 to 3x5
        ConvLayout.pad(x, 1, 2, 1, 3, 1, dst, 1);
        float[] expected = {
            8,
            0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0,
            8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
        };
        assertEquals(Arrays.toString(expected), Arrays.toString(dst));
    }
}
