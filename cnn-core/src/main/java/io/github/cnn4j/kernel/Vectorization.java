package io.github.cnn4j.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which implementation the kernels use (convolution, max pooling, batch normalization, dense layers):
 * the Java Vector API ({@code jdk.incubator.vector}) when the JVM was started with it, otherwise
 * scalar loops and loops that HotSpot's C2 compiler vectorizes on its own. This is the one place
 * that chooses; the public kernel classes read the choice and route each call.
 *
 * <p>The Vector API is still an incubator module in JDK 17, so it is only present when the JVM is
 * started with {@code --add-modules jdk.incubator.vector}. With it, the convolution backward pass
 * (weight and input gradients, the reductions that C2 cannot vectorize) runs on 256-bit vectors and
 * per-sample training is roughly 1.5 times as fast; without it, everything still works, on the
 * scalar kernels. The choice is made once, when this class is initialized:
 * <ul>
 *   <li>{@code -Dcnn4j.vector=false} forces the scalar kernels;</li>
 *   <li>otherwise the vector kernels are used when the module is in the boot layer and the CPU has
 *       vectors of at least 256 bits (AVX2 or better).</li>
 * </ul>
 *
 * <p>Both implementations are deterministic: a fixed seed gives bit-identical results run after run
 * and for any number of threads. They round differently from each other (the vector kernels sum in
 * eight lanes), so a run with the module and a run without it agree only to float precision. The
 * vector width is fixed at 256 bits rather than the widest the CPU offers, so results do not depend
 * on whether a machine has AVX-512.
 */
public final class Vectorization {
    private static final Logger LOG = LoggerFactory.getLogger(Vectorization.class);
    /** The module that holds the Vector API. */
    public static final String MODULE = "jdk.incubator.vector";
    /** System property that turns the vector kernels off ({@code false}). */
    public static final String PROPERTY = "cnn4j.vector";

    static final boolean ENABLED;
    private static final String DESCRIPTION;

    static {
        String why;
        boolean on = false;
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
            why = "scalar kernels (-D" + PROPERTY + "=false)";
        } else if (!available()) {
            why = "scalar kernels; start the JVM with --add-modules " + MODULE + " for the Vector API kernels";
        } else {
            int bits = preferredBits();
            if (bits >= 256) {
                on = true;
                why = "Vector API kernels, 256-bit (the CPU offers " + bits + ")";
            } else {
                why = "scalar kernels (the CPU's vectors are " + bits + "-bit; the Vector API kernels need 256)";
            }
        }
        ENABLED = on;
        DESCRIPTION = why;
        LOG.info("cnn4j convolution: {}", why);
    }

    private Vectorization() {
    }

    /** @return whether the kernels use the Vector API */
    public static boolean enabled() {
        return ENABLED;
    }

    /** @return one line saying which kernels are in use and, when scalar, why */
    public static String describe() {
        return DESCRIPTION;
    }

    /**
     * @return whether the Vector API module is in this JVM's boot layer (the JVM was started with
     *     {@code --add-modules jdk.incubator.vector}), whatever {@link #PROPERTY} says
     */
    public static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    private static int preferredBits() {
        try {
            return VectorConvKernels.preferredBits();
        } catch (LinkageError e) {
            LOG.warn("the Vector API could not be loaded: {}", e.toString());
            return 0;
        }
    }
}
