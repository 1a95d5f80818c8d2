package io.github.cnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.loss.MeanSquaredError;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.TestData;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Whole-model gradient checks through {@link Sequential#backward}. */
class SequentialGradientTest {

    /** Padding, a non-dividing pool (7x6 -> 3x3), a conv after the pool, dense, sigmoid and softmax. */
    static Sequential smallNet(long seed) {
        return Sequential.of(
                        new Conv(3, 3, 3).padding(1), new ReLU(), new MaxPool(2),
                        new Conv(2, 2, 4), new Tanh(),
                        new Flatten(), new Dense(5), new Sigmoid(), new Dense(3), new Softmax())
                .input(2, 7, 6)
                .seed(seed)
                .build();
    }

    private static int[] labels(Rng rng, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return y;
    }

    private static void check(long seed, int batch, Loss loss) {
        Sequential model = smallNet(seed);
        Rng rng = new Rng(~seed);
        float[] x = TestData.uniform(rng, batch * model.inputShape().size(), 0, 1);
        int[] y = labels(rng, batch, 3);
        GradientCheck.ModelCheck mc = GradientCheck.checkModel(model, x, y, batch, loss, GradientCheck.Options.MODEL);
        GradientCheck.Report r = mc.report();
        String what = "seed " + seed + ", batch " + batch + ", " + loss.name();
        r.assertOk(what);
        // whole-vector agreement: also covers the many elements small enough for the absolute floor
        assertTrue(r.normRelError() < 1e-2, what + ": ||a - n|| / (||a|| + ||n||) = " + r.normRelError());
        // 212 parameters + 84 inputs per sample; perturbations that flip a ReLU or a pool winner are skipped
        assertTrue(r.skipped() <= (r.checked() + r.skipped()) / 3,
                r.skipped() + " of " + (r.checked() + r.skipped()) + " elements crossed a kink: the check says too little");
        assertTrue(r.checked() >= 190, "checked " + r.checked());
    }

    @Property(tries = 25)
    void crossEntropyThroughTheFusedSoftmax(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int batch) {
        check(seed, batch, new CrossEntropy());
    }

    @Property(tries = 15)
    void meanSquaredErrorThroughTheSoftmaxJacobian(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int batch) {
        check(seed, batch, new MeanSquaredError());
    }

    /** Cross-entropy that refuses the fused path, so the model must chain CE's gradient through Softmax.backward. */
    private static final class UnfusedCrossEntropy implements Loss {
        private final CrossEntropy ce = new CrossEntropy();

        @Override
        public String name() {
            return "unfused-ce";
        }

        @Override
        public double loss(Tensor p, int[] labels, int offset) {
            return ce.loss(p, labels, offset);
        }

        @Override
        public void gradient(Tensor p, int[] labels, int offset, Tensor grad) {
            ce.gradient(p, labels, offset, grad);
        }
    }

    private static float[][] gradients(Sequential model, float[] x, int[] y, int n, Loss loss, boolean inputGradient, double[] lossOut) {
        for (Parameter p : model.parameters()) {
            p.zeroGrad();
        }
        Workspace ws = model.newWorkspace(n);
        System.arraycopy(x, 0, ws.input().data(), 0, x.length);
        System.arraycopy(y, 0, ws.labels(), 0, n);
        model.forward(ws, n, true);
        lossOut[0] = model.backward(ws, loss, inputGradient);
        if (!inputGradient) {
            assertNull(ws.inputGradient(), "no input gradient was asked for");
        } else {
            assertNotNull(ws.inputGradient());
        }
        float[][] g = new float[model.parameters().size()][];
        for (int i = 0; i < g.length; i++) {
            g[i] = model.parameters().get(i).grad().clone();
        }
        return g;
    }

    @Test
    void inputGradientFlagDoesNotChangeParameterGradientsAndFusedEqualsChained() {
        Sequential model = smallNet(77);
        Rng rng = new Rng(78);
        int n = 4;
        float[] x = TestData.uniform(rng, n * model.inputShape().size(), 0, 1);
        int[] y = labels(rng, n, 3);
        double[] l1 = new double[1];
        double[] l2 = new double[1];
        double[] l3 = new double[1];
        float[][] with = gradients(model, x, y, n, new CrossEntropy(), true, l1);
        float[][] without = gradients(model, x, y, n, new CrossEntropy(), false, l2);
        float[][] chained = gradients(model, x, y, n, new UnfusedCrossEntropy(), false, l3);
        assertEquals(l1[0], l2[0]);
        assertEquals(l1[0], l3[0]);
        for (int i = 0; i < with.length; i++) {
            assertArrayEquals(with[i], without[i], 0f, "parameter " + i);
            for (int k = 0; k < with[i].length; k++) {
                assertEquals(with[i][k], chained[i][k], 1e-5 * (1 + Math.abs(with[i][k])), "parameter " + i + "[" + k + "]");
            }
        }
        // the returned loss is the SUM over the batch of -ln p[label]
        float[] p = model.predict(Arrays.copyOfRange(x, 0, model.inputShape().size()));
        double sum = -Math.log(p[y[0]]);
        for (int s = 1; s < n; s++) {
            sum -= Math.log(model.predict(Arrays.copyOfRange(x, s * 84, (s + 1) * 84))[y[s]]);
        }
        assertEquals(sum, l1[0], 1e-5);
    }

    @Test
    void softmaxAloneGivesPMinusOneHotAsInputGradient() {
        Sequential model = Sequential.of(new Softmax()).input(3).build();
        Workspace ws = model.newWorkspace(2);
        System.arraycopy(new float[] {1, 2, 3, 0, 0, 0}, 0, ws.input().data(), 0, 6);
        ws.labels()[0] = 2;
        ws.labels()[1] = 0;
        model.forward(ws, 2, true);
        model.backward(ws, new CrossEntropy(), true);
        float third = 1f / 3;
        assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f - 1, third - 1, third, third},
                Arrays.copyOf(ws.inputGradient().data(), 6), 1e-6f);
    }
}
