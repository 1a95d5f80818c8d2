package io.github.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Batch-norm kernels against a textbook reference computed in double, and the scalar kernels
 * against the Vector API ones bit for bit (forward and backward), when the JVM has the module.
 */
class BatchNormKernelsTest {

    private static float[] values(Rng rng, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * rng.nextFloat();
        }
        return a;
    }

    private static void near(double expected, float actual, double tol, String what) {
        if (!(Math.abs(expected - actual) <= tol)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
        }
    }

    /** Everything one call of each kernel produces. */
    record Outputs(float[] stats, float[] y, float[] dGamma, float[] dBeta, float[] dx, float[] dxFixed) {
    }

    private static Outputs run(float[] x, float[] dy, float[] g, float[] b, int n, int c, int sp, boolean vector) {
        float[] stats = new float[2 * c];
        BatchNormKernels.statistics(x, n, c, sp, 1e-5, stats, vector);
        float[] y = new float[x.length];
        BatchNormKernels.normalize(x, n, c, sp, stats, g, b, y, vector);
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        Arrays.fill(dGamma, 0.5f);
        Arrays.fill(dBeta, -0.25f);
        float[] dx = new float[x.length];
        BatchNormKernels.backward(x, dy, n, c, sp, stats, g, true, dGamma, dBeta, dx, vector);
        float[] dxFixed = new float[x.length];
        BatchNormKernels.backward(x, dy, n, c, sp, stats, g, false, new float[c], new float[c], dxFixed, vector);
        return new Outputs(stats, y, dGamma, dBeta, dx, dxFixed);
    }

    @Property(tries = 300)
    void matchesTheTextbookFormulasAndBothKernelSetsGiveTheSameBits(
            @ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 4) int c,
            @ForAll @IntRange(min = 1, max = 40) int sp, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int size = c * sp;
        float shift = 10 * (rng.nextFloat() - 0.5f);
        float[] x = values(rng, n * size, shift - 3, shift + 3);
        float[] dy = values(rng, n * size, -1, 1);
        float[] g = values(rng, c, 0.5f, 2);
        float[] b = values(rng, c, -1, 1);
        float[] xBefore = x.clone();
        float[] dyBefore = dy.clone();
        Outputs s = run(x, dy, g, b, n, c, sp, false);
        assertArrayEquals(xBefore, x, "x was modified");
        assertArrayEquals(dyBefore, dy, "dy was modified");
        checkAgainstReference(x, dy, g, b, n, c, sp, s);
        if (Vectorization.available()) {
            Outputs v = run(x, dy, g, b, n, c, sp, true);
            String what = n + " x (" + c + ", " + sp + ")";
            assertTrue(Arrays.equals(s.stats(), v.stats()), "statistics differ between the kernel sets, " + what);
            assertTrue(Arrays.equals(s.y(), v.y()), "forward passes differ between the kernel sets, " + what);
            assertTrue(Arrays.equals(s.dGamma(), v.dGamma()) && Arrays.equals(s.dBeta(), v.dBeta()), "parameter gradients differ, " + what);
            assertTrue(Arrays.equals(s.dx(), v.dx()) && Arrays.equals(s.dxFixed(), v.dxFixed()), "input gradients differ, " + what);
        }
    }

    private static void checkAgainstReference(float[] x, float[] dy, float[] g, float[] b, int n, int c, int sp, Outputs o) {
        int size = c * sp;
        double m = (double) n * sp;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            double absSum = 0;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < sp; i++) {
                    sum += x[s * size + ch * sp + i];
                    absSum += Math.abs(x[s * size + ch * sp + i]);
                }
            }
            double mean = sum / m;
            double sq = 0;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < sp; i++) {
                    double d = x[s * size + ch * sp + i] - mean;
                    sq += d * d;
                }
            }
            double inv = 1 / Math.sqrt(sq / m + 1e-5);
            near(mean, o.stats()[ch], 1e-6 * (1 + absSum / m) * 8, "mean of channel " + ch);
            near(inv, o.stats()[c + ch], 1e-4 * inv, "1/std of channel " + ch);
            double sDy = 0;
            double sDyH = 0;
            double absDy = 0;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < sp; i++) {
                    int k = s * size + ch * sp + i;
                    double h = (x[k] - mean) * inv;
                    near(g[ch] * h + b[ch], o.y()[k], 1e-4 * (1 + Math.abs(g[ch] * h)), "y[" + k + "]");
                    sDy += dy[k];
                    sDyH += dy[k] * h;
                    absDy += Math.abs(dy[k]);
                }
            }
            double tol = 1e-4 * (1 + absDy * 4);
            near(-0.25 + sDy, o.dBeta()[ch], tol, "dbeta of channel " + ch);
            near(0.5 + sDyH, o.dGamma()[ch], tol, "dgamma of channel " + ch);
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < sp; i++) {
                    int k = s * size + ch * sp + i;
                    double h = (x[k] - mean) * inv;
                    double dx = g[ch] * inv / m * (m * dy[k] - sDy - h * sDyH);
                    near(dx, o.dx()[k], 2e-4 * g[ch] * inv * (1 + absDy / m * 8), "dx[" + k + "]");
                    near(g[ch] * inv * dy[k], o.dxFixed()[k], 1e-5 * g[ch] * inv, "dx (fixed statistics)[" + k + "]");
                }
            }
        }
    }

    @Test
    void theModernNetworksShapesAgreeBitForBitAndAddToTheGradients() {
        Rng rng = new Rng(7);
        int[][] shapes = {{16, 8, 24 * 24}, {16, 16, 8 * 8}, {16, 128, 1}};
        for (int[] sh : shapes) {
            int n = sh[0];
            int c = sh[1];
            int sp = sh[2];
            float[] x = values(rng, n * c * sp, -2, 5);
            float[] dy = values(rng, n * c * sp, -1, 1);
            float[] g = values(rng, c, 0.5f, 2);
            float[] b = values(rng, c, -1, 1);
            Outputs s = run(x, dy, g, b, n, c, sp, false);
            checkAgainstReference(x, dy, g, b, n, c, sp, s);
            if (Vectorization.available()) {
                Outputs v = run(x, dy, g, b, n, c, sp, true);
                assertArrayEquals(s.y(), v.y());
                assertArrayEquals(s.dx(), v.dx());
                assertArrayEquals(s.dGamma(), v.dGamma());
            }
        }
    }

    @Test
    void aNullInputGradientStillGivesTheParameterGradients() {
        Rng rng = new Rng(3);
        float[] x = values(rng, 2 * 3 * 10, -1, 1);
        float[] dy = values(rng, x.length, -1, 1);
        float[] g = {1, 2, 3};
        float[] stats = new float[6];
        BatchNormKernels.statistics(x, 2, 3, 10, 1e-5, stats);
        float[] dg1 = new float[3];
        float[] db1 = new float[3];
        BatchNormKernels.backward(x, dy, 2, 3, 10, stats, g, true, dg1, db1, new float[x.length]);
        float[] dg2 = new float[3];
        float[] db2 = new float[3];
        BatchNormKernels.backward(x, dy, 2, 3, 10, stats, g, true, dg2, db2, null);
        assertArrayEquals(dg1, dg2);
        assertArrayEquals(db1, db2);
    }

    @Test
    void fixedStatisticsAreTheRunningOnes() {
        float[] stats = new float[4];
        BatchNormKernels.fixedStatistics(new float[] {1, -2}, new float[] {3, 0.25f}, 2, 1, stats);
        assertEquals(1f, stats[0]);
        assertEquals(-2f, stats[1]);
        assertEquals(0.5f, stats[2]);
        assertEquals((float) (1 / Math.sqrt(1.25)), stats[3]);
    }
}
