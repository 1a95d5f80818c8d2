package io.github.cnn4j.kernel;

/**
 * Fully connected layers {@code z = x W + b} over a batch of {@code n} samples, weights
 * {@code W (I, U)} row-major ({@code [input][unit]}).
 *
 * <h2>Math and order</h2>
 * <pre>
 *   z_m[u] = ((x_m[0] W[0][u] + x_m[1] W[1][u]) + ... + x_m[I-1] W[I-1][u]) + b[u]
 *   dW[i][u] += x_m[i] dz_m[u]   (a fused multiply-add per sample, samples in order)
 *   db[u]    += dz_m[u]          (samples in order)
 *   dx_m[i]   = sum_u W[i][u] dz_m[u]
 * </pre>
 * The forward pass multiplies and adds separately, in input order, then adds the bias: the order
 * and roundings of EJML's {@code CommonOps_FDRM.mult} (which computed it before), in both kernel
 * sets, so the forward pass is bit-identical between them (and to EJML up to the sign of a zero
 * sum). It runs over the units, the contiguous dimension: one weight row at a time, which the
 * Vector API kernel does eight units per instruction.
 *
 * <p>Backward: layers of at most {@value #SMALL_WEIGHTS} weights (the paper's) run one fused loop
 * that reads each weight row once for both products, {@code dx} summed in unit order with fused
 * multiply-adds (measured 1.7-2x faster than EJML's two calls at these sizes), on both kernel sets.
 * Larger layers run the same per-sample loop with {@code dx} summed in eight lanes (lane {@code l}
 * takes units {@code l, l + 8, ...} of the first {@code U - U mod 8}, the lanes are added pairwise
 * {@code ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))}, then the last {@code U mod 8} units in
 * order): eight scalar accumulators or one vector, the same bits. Nothing depends on threads.
 *
 * <p>{@link Vectorization} chooses the implementation; this class only routes each call.
 */
public final class DenseKernels {
    /** Layers with at most this many weights take the fused unit-order backward loop. */
    public static final long SMALL_WEIGHTS = 16_384;

    private DenseKernels() {
    }

    /**
     * Forward pass.
     *
     * @param x      inputs, {@code n} rows of {@code I} (not modified)
     * @param n      samples
     * @param inputs {@code I}
     * @param w      weights {@code (I, U)} (not modified)
     * @param b      biases {@code (U)} (not modified)
     * @param units  {@code U}
     * @param y      outputs (modified: {@code n * U} floats written; may not be {@code x})
     */
    public static void forward(float[] x, int n, int inputs, float[] w, float[] b, int units, float[] y) {
        forward(x, n, inputs, w, b, units, y, Vectorization.ENABLED);
    }

    static void forward(float[] x, int n, int inputs, float[] w, float[] b, int units, float[] y, boolean vector) {
        if (vector) {
            VectorDenseKernels.forward(x, n, inputs, w, b, units, y);
        } else {
            ScalarDenseKernels.forward(x, n, inputs, w, b, units, y);
        }
    }

    /**
     * Backward pass: accumulates {@code dW} and {@code db}, writes {@code dx}.
     *
     * @param x      the forward inputs (not modified)
     * @param w      weights (not modified)
     * @param dz     output gradients, {@code n} rows of {@code U} (not modified)
     * @param n      samples
     * @param inputs {@code I}
     * @param units  {@code U}
     * @param dW     weight gradient (accumulated into)
     * @param db     bias gradient (accumulated into)
     * @param dx     input gradient (modified), or {@code null} to skip it
     */
    public static void backward(float[] x, float[] w, float[] dz, int n, int inputs, int units, float[] dW, float[] db, float[] dx) {
        backward(x, w, dz, n, inputs, units, dW, db, dx, Vectorization.ENABLED);
    }

    static void backward(float[] x, float[] w, float[] dz, int n, int inputs, int units, float[] dW, float[] db, float[] dx, boolean vector) {
        if ((long) inputs * units <= SMALL_WEIGHTS) {
            ScalarDenseKernels.backwardSmall(x, w, dz, dW, db, dx, n, inputs, units);
        } else if (vector) {
            VectorDenseKernels.backward(x, w, dz, n, inputs, units, dW, db, dx);
        } else {
            ScalarDenseKernels.backward(x, w, dz, n, inputs, units, dW, db, dx);
        }
    }
}
