package io.github.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The kernel choice. Maven runs this class twice: on a JVM with the Vector API module (the default
 * test run) and on one without it (the {@code scalar-kernels} run), so both branches are taken.
 */
class VectorizationTest {

    @Test
    void theChoiceFollowsTheModuleAndIsDescribed() {
        String why = Vectorization.describe();
        if (!Vectorization.available()) {
            assertFalse(Vectorization.enabled(), "vector kernels without the module");
            assertTrue(why.contains("--add-modules " + Vectorization.MODULE), why);
        } else if (Vectorization.enabled()) {
            assertTrue(why.startsWith("Vector API kernels, 256-bit"), why);
        } else {
            assertTrue(why.startsWith("scalar kernels ("), why);
        }
        assertEquals(Vectorization.ENABLED, Vectorization.enabled());
    }

    @Test
    void bothPathsGiveTheSameForwardPassThroughThePublicEntryPoint() {
        // the public method takes whichever path was chosen; the forward pass is bit-identical either way
        float[] x = new float[2 * 12 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37);
        }
        float[] w = new float[3 * 2 * 5 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.cos(i * 0.11) * 0.2f;
        }
        float[] b = {0.1f, -0.2f, 0.3f};
        float[] viaPublic = new float[3 * 8 * 8];
        float[] scalar = new float[3 * 8 * 8];
        ConvKernels.forward(x, 0, 1, 2, 12, 12, w, b, 3, 5, 5, 0, viaPublic, 0, new ConvScratch());
        ConvKernels.forward(x, 0, 1, 2, 12, 12, w, b, 3, 5, 5, 0, scalar, 0, new ConvScratch(), false);
        assertTrue(Arrays.equals(scalar, viaPublic), "forward pass differs between the chosen path and the scalar one");
    }
}
