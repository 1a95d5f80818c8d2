package io.github.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The branch-free ReLU backward against the branch it replaces. */
class ActivationKernelsTest {

    /** The reference: {@code dx = y > 0 ? dy : 0}. */
    private static float reference(float y, float dy) {
        return y > 0f ? dy : 0f;
    }

    @Property(tries = 200)
    void reluBackwardEqualsTheBranchOnFiniteValues(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int n = 1 + rng.nextInt(300);
        float[] x = new float[n];
        float[] dy = new float[n];
        float[] special = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, 3e38f, 1f, -1f};
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextInt(4) == 0 ? special[rng.nextInt(special.length)] : (float) (rng.nextDouble() * 4 - 2);
            dy[i] = rng.nextInt(4) == 0 ? special[rng.nextInt(special.length)] : (float) (rng.nextDouble() * 4 - 2);
        }
        float[] y = new float[n];
        ActivationKernels.reluForward(x, y, n);
        float[] dx = new float[n];
        ActivationKernels.reluBackward(y, dy, dx, n);
        for (int i = 0; i < n; i++) {
            float expected = reference(y[i], dy[i]);
            // equal as numbers: only the sign of a zero may differ
            assertTrue(expected == dx[i], "y=" + y[i] + " dy=" + dy[i] + ": expected " + expected + " got " + dx[i]);
            if (y[i] > 0f) {
                assertEquals(Float.floatToRawIntBits(dy[i]), Float.floatToRawIntBits(dx[i]), "passes dy through bit for bit");
            }
        }
    }

    @Test
    void nanAndInfinityWhereDocumented() {
        float[] y = {Float.POSITIVE_INFINITY, 2f, 0f};
        float[] dy = {3f, Float.POSITIVE_INFINITY, 4f};
        float[] dx = new float[3];
        ActivationKernels.reluBackward(y, dy, dx, 3);
        assertEquals(3f, dx[0]);
        assertEquals(Float.POSITIVE_INFINITY, dx[1]);
        assertEquals(0f, dx[2]);
    }
}
