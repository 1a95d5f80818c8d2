package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.Layers;
import io.github.cnn4j.testing.TestData;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DenseTest {

    private static Dense handDense() {
        Dense d = Layers.build(new Dense(3), Shape.of(2));
        // layout [input][unit], z = x W + b
        d.weight().set(new float[] {
            1, 0, -1,
            2, 1, 0,
        });
        d.bias().set(new float[] {0.5f, 0, 1});
        return d;
    }

    @Test
    void forwardIsXTimesWPlusB() {
        float[] out = Layers.forward(handDense(), Shape.of(2), 2, new float[] {1, 2, /* */ -1, 0});
        assertArrayEquals(new float[] {5.5f, 2, 0, /* */ -0.5f, 0, 2}, out, 0f);
    }

    @Test
    void backwardByHand() {
        Dense d = handDense();
        Tensor in = TestData.tensor(Shape.of(2), 2, 2, new float[] {1, 2, -1, 0});
        Tensor out = new Tensor(Shape.of(3), 2);
        LayerContext ctx = new LayerContext(d.parameters());
        d.forward(in, out, ctx);
        Tensor dy = TestData.tensor(Shape.of(3), 2, 2, new float[] {1, -1, 2, /* */ 0, 3, 0});
        Tensor dx = new Tensor(Shape.of(2), 2);
        d.backward(in, out, dy, dx, ctx);
        // dW = x^T dy summed over the batch: [1,2]^T [1,-1,2] + [-1,0]^T [0,3,0]
        assertArrayEquals(new float[] {1, -4, 2, 2, -2, 4}, d.weight().grad(), 0f);
        assertArrayEquals(new float[] {1, 2, 2}, d.bias().grad(), 0f);
        // dx = dy W^T
        assertArrayEquals(new float[] {-1, 1, /* */ 0, 3}, dx.data(), 0f);
        // a second backward accumulates into the parameter gradients
        d.backward(in, out, dy, null, ctx);
        assertArrayEquals(new float[] {2, -8, 4, 4, -4, 8}, d.weight().grad(), 0f);
        assertArrayEquals(new float[] {2, 4, 4}, d.bias().grad(), 0f);
    }

    @Test
    void shapesAndErrors() {
        Dense d = new Dense(10);
        assertNull(d.weight());
        assertEquals(Shape.of(10), d.outputShape(Shape.of(96)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.outputShape(Shape.of(6, 4, 4)));
        assertTrue(e.getMessage().contains("Flatten"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dense(0));
        Dense built = Layers.build(d, Shape.of(96));
        assertEquals(Shape.of(96, 10), built.weight().shape());
        assertEquals(Shape.of(10), built.bias().shape());
        assertEquals(2L * 96 * 10, built.flops(Shape.of(96)));
        assertThrows(IllegalStateException.class,
                () -> d.forward(new Tensor(Shape.of(96), 1), new Tensor(Shape.of(10), 1), new LayerContext(d.parameters())));
    }

    record Case(int in, int units, int batch, int extra, float[] x, float[] w, float[] b, float[] r) {
    }

    @Provide
    Arbitrary<Case> cases() {
        // up to 20 units: EJML switches multiplication algorithms at 15 columns
        return Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.integers().between(1, 20),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 2))
                .as((i, u, b, e) -> new int[] {i, u, b, e})
                .flatMap(a -> Combinators.combine(Layers.floats(a[2] * a[0]), Layers.floats(a[0] * a[1]), Layers.floats(a[1]),
                                Layers.floats(a[2] * a[1]))
                        .as((x, w, b, r) -> new Case(a[0], a[1], a[2], a[3], x, w, b, r)));
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("cases") Case k) {
        Dense d = Layers.build(new Dense(k.units()), Shape.of(k.in()));
        d.weight().set(k.w());
        d.bias().set(k.b());
        Tensor in = TestData.tensor(Shape.of(k.in()), k.batch(), k.batch() + k.extra(), k.x());
        GradientCheck.checkLayer(d, in, k.r(), GradientCheck.Options.FLOAT32)
                .assertOk(k.in() + "->" + k.units() + " x" + k.batch());
    }

    /** The small-layer backward loop against EJML's products (the path of large layers). */
    @Test
    void smallBackwardLoopMatchesEjml() {
        io.github.cnn4j.random.Rng rng = new io.github.cnn4j.random.Rng(17);
        int batch = 5;
        int inputs = 37;
        int units = 11;
        float[] x = new float[batch * inputs];
        float[] w = new float[inputs * units];
        float[] dz = new float[batch * units];
        for (float[] a : new float[][] {x, w, dz}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rng.nextDouble() * 2 - 1);
            }
        }
        float[] dW = new float[inputs * units];
        float[] db = new float[units];
        float[] dx = new float[batch * inputs];
        java.util.Arrays.fill(dW, 0.25f);
        io.github.cnn4j.kernel.DenseKernels.backward(x, w, dz, batch, inputs, units, dW, db, dx);

        org.ejml.data.FMatrixRMaj xm = org.ejml.data.FMatrixRMaj.wrap(batch, inputs, x);
        org.ejml.data.FMatrixRMaj wm = org.ejml.data.FMatrixRMaj.wrap(inputs, units, w);
        org.ejml.data.FMatrixRMaj zm = org.ejml.data.FMatrixRMaj.wrap(batch, units, dz);
        org.ejml.data.FMatrixRMaj dWm = new org.ejml.data.FMatrixRMaj(inputs, units);
        java.util.Arrays.fill(dWm.data, 0.25f);
        org.ejml.dense.row.CommonOps_FDRM.multAddTransA(xm, zm, dWm);
        org.ejml.data.FMatrixRMaj dxm = new org.ejml.data.FMatrixRMaj(batch, inputs);
        org.ejml.dense.row.CommonOps_FDRM.multTransB(zm, wm, dxm);
        assertArrayEquals(dWm.data, dW, 1e-5f);
        assertArrayEquals(dxm.data, dx, 1e-5f);
        for (int u = 0; u < units; u++) {
            float s = 0f;
            for (int m = 0; m < batch; m++) {
                s += dz[m * units + u];
            }
            assertEquals(s, db[u], 1e-6f);
        }
    }
}
