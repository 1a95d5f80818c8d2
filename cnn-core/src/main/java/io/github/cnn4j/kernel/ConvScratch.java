package io.github.cnn4j.kernel;

import java.util.Arrays;

/**
 * Per-thread scratch buffers of the convolution kernels ({@link ConvKernels}), kept by a layer in
 * its context. They grow on demand and are reused, so a steady-state call allocates nothing. Not
 * thread-safe: one thread uses a scratch at a time.
 */
public final class ConvScratch {
    float[] padded = new float[0];
    float[] padded2 = new float[0];
    float[] rotated = new float[0];
    float[][] taps = new float[ScalarConvKernels.GROUP][0];
    float[][] acc = new float[0][];
    float[][] dz = new float[0][];
    float[][] rows = new float[0][];
    /** Packed columns of the input ({@code VectorPackedConvKernels}); a block's tap panel ({@code VectorStridedConvKernels}). */
    float[] col = new float[0];
    /** Packed column gradients ({@code VectorPackedConvKernels}). */
    float[] colGrad = new float[0];
    /** Packed output gradient ({@code VectorPackedConvKernels}). */
    float[] dyPacked = new float[0];
    /**
     * Eight lane sums per weight and bias ({@code VectorPackedConvKernels}); a block's tap products
     * ({@code VectorStridedConvKernels}).
     */
    float[] lanes = new float[0];
    /** Offset of each tap in a padded sample ({@code VectorConvKernels.forwardRows}) or group ({@code VectorStridedConvKernels}). */
    int[] tapOffsets = new int[0];
    /** Offset of each output position of a group in the padded input ({@code VectorStridedConvKernels}). */
    int[] positionOffsets = new int[0];
    /** Offsets in the class layout of the input gradient's (tap, filter) pairs ({@code VectorStridedConvKernels}). */
    int[] pairOffsets = new int[0];
    /** Element of {@code dx} of each class position, or -1 ({@code VectorStridedConvKernels}). */
    int[] targets = new int[0];

    /** Empty buffers; the first call sizes them. */
    public ConvScratch() {
    }

    static float[] grow(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    static int[] grow(int[] a, int n) {
        return a.length >= n ? a : new int[n];
    }

    static float[][] grow(float[][] a, int count, int n) {
        float[][] r = a.length >= count ? a : Arrays.copyOf(a, count);
        for (int i = 0; i < count; i++) {
            if (r[i] == null || r[i].length < n) {
                r[i] = new float[n];
            }
        }
        return r;
    }
}
