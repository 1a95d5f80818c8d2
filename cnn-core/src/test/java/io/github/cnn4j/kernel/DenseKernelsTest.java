package io.github.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * Dense kernels: the forward pass bit for bit against EJML's product plus the bias (what the layer
 * computed before), the backward pass against a reference in double, and the two kernel sets
 * against each other bit for bit, for small (fused loop) and large (eight-lane) layers.
 */
class DenseKernelsTest {

    private static float[] values(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = 2 * rng.nextFloat() - 1;
        }
        return a;
    }

    @Property(tries = 150)
    void forwardIsEjmlsProductPlusTheBiasOnBothKernelSets(@ForAll @IntRange(min = 1, max = 5) int n,
                                                          @ForAll @IntRange(min = 1, max = 300) int inputs,
                                                          @ForAll @IntRange(min = 1, max = 150) int units, @ForAll long seed) {
        Rng rng = new Rng(seed);
        float[] x = values(rng, n * inputs);
        float[] w = values(rng, inputs * units);
        float[] b = values(rng, units);
        FMatrixRMaj expected = new FMatrixRMaj(n, units);
        CommonOps_FDRM.mult(FMatrixRMaj.wrap(n, inputs, x), FMatrixRMaj.wrap(inputs, units, w), expected);
        for (int m = 0; m < n; m++) {
            for (int u = 0; u < units; u++) {
                expected.data[m * units + u] += b[u];
            }
        }
        float[] y = new float[n * units];
        DenseKernels.forward(x, n, inputs, w, b, units, y, false);
        assertArrayEquals(expected.data, y, n + " x " + inputs + " -> " + units + " (scalar kernels)");
        if (Vectorization.available()) {
            float[] yv = new float[n * units];
            DenseKernels.forward(x, n, inputs, w, b, units, yv, true);
            assertArrayEquals(expected.data, yv, n + " x " + inputs + " -> " + units + " (vector kernels)");
        }
    }

    @Property(tries = 150)
    void backwardMatchesTheReferenceAndBothKernelSetsAgree(@ForAll @IntRange(min = 1, max = 5) int n,
                                                           @ForAll @IntRange(min = 1, max = 300) int inputs,
                                                           @ForAll @IntRange(min = 1, max = 150) int units, @ForAll long seed) {
        Rng rng = new Rng(seed);
        float[] x = values(rng, n * inputs);
        float[] w = values(rng, inputs * units);
        float[] dz = values(rng, n * units);
        float[][] s = backward(x, w, dz, n, inputs, units, false);
        String what = n + " x " + inputs + " -> " + units;
        for (int i = 0; i < inputs; i++) {
            for (int u = 0; u < units; u++) {
                double e = 0.25;
                for (int m = 0; m < n; m++) {
                    e += (double) x[m * inputs + i] * dz[m * units + u];
                }
                near(e, s[0][i * units + u], (n + 2) * 1.2e-7 * (0.25 + n), what + " dW");
            }
        }
        for (int u = 0; u < units; u++) {
            double e = 0;
            for (int m = 0; m < n; m++) {
                e += dz[m * units + u];
            }
            near(e, s[1][u], (n + 2) * 1.2e-7 * n, what + " db");
        }
        for (int m = 0; m < n; m++) {
            for (int i = 0; i < inputs; i++) {
                double e = 0;
                for (int u = 0; u < units; u++) {
                    e += (double) w[i * units + u] * dz[m * units + u];
                }
                near(e, s[2][m * inputs + i], (units + 2) * 1.2e-7 * units, what + " dx");
            }
        }
        float[][] again = backward(x, w, dz, n, inputs, units, false);
        assertTrue(Arrays.deepEquals(s, again), "not deterministic: " + what);
        if (Vectorization.available()) {
            float[][] v = backward(x, w, dz, n, inputs, units, true);
            boolean small = (long) inputs * units <= DenseKernels.SMALL_WEIGHTS;
            assertTrue(Arrays.equals(s[0], v[0]) && Arrays.equals(s[1], v[1]), "parameter gradients differ between the kernel sets: " + what);
            // large layers: the same eight-lane order on both sets; small ones run the same scalar loop on both
            assertTrue(Arrays.equals(s[2], v[2]), "input gradients differ between the kernel sets: " + what + (small ? " (small)" : " (large)"));
        }
    }

    private static float[][] backward(float[] x, float[] w, float[] dz, int n, int inputs, int units, boolean vector) {
        float[] dW = new float[inputs * units];
        Arrays.fill(dW, 0.25f);
        float[] db = new float[units];
        float[] dx = new float[n * inputs];
        DenseKernels.backward(x, w, dz, n, inputs, units, dW, db, dx, vector);
        float[] dW2 = new float[inputs * units];
        Arrays.fill(dW2, 0.25f);
        DenseKernels.backward(x, w, dz, n, inputs, units, dW2, new float[units], null, vector);
        assertArrayEquals(dW, dW2, "skipping dx changes dW");
        return new float[][] {dW, db, dx};
    }

    private static void near(double expected, float actual, double tol, String what) {
        if (!(Math.abs(expected - actual) <= tol + 1e-7)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
        }
    }
}
