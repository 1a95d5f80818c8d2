package io.github.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2 x 2 max pooling with switches on the Java Vector API, eight windows of an output row at a time.
 * Used by {@link PoolKernels} when {@link Vectorization#enabled()}; loaded only then.
 *
 * <p>The four corners of eight neighbouring windows are gathered into four vectors ({@code a, b}
 * from the even and odd columns of the upper row, {@code c, d} from the lower row); the winner is
 * selected with the same rule as the scalar kernel, a later corner replacing the best so far only
 * if strictly greater ({@code b > a}, then {@code c > best}, then {@code d > best}), so ties go to the
 * first corner in row-major order and {@code -0.0} and {@code +0.0} tie. A row whose width is not a
 * multiple of eight ends with the chunk of the last eight windows, which overlaps the one before and
 * recomputes a few windows to the same values; rows of fewer than eight windows, and chunks holding
 * a NaN (or infinities of both signs) anywhere, go through the scalar path. The outputs and switches
 * are identical to the scalar kernel's.
 */
final class VectorPoolKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int L = 8;
    /** Even columns 0, 2, ..., 14: the upper-left corners of eight windows. */
    private static final int[] EVEN = {0, 2, 4, 6, 8, 10, 12, 14};

    private VectorPoolKernels() {
    }

    /** See {@link PoolKernels#maxForward} with {@code s = 2}. */
    static void maxForward2(float[] x, int xOff, int c, int h, int w, float[] y, int yOff, int[] switches, int sOff) {
        final int oh = h / 2;
        final int ow = w / 2;
        final IntVector even = IntVector.fromArray(I, EVEN, 0);
        int o = 0;
        for (int ci = 0; ci < c; ci++) {
            int plane = ci * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = plane + 2 * i * w;
                if (ow < L) {
                    PoolKernels.maxForward2Scalar(x, xOff, w, r0, 0, ow, y, yOff + o, switches, sOff + o);
                    o += ow;
                    continue;
                }
                // chunks of eight at 0, 8, 16, ...; a row that is not a multiple of eight ends with the
                // chunk at ow - 8, which recomputes a few windows (to the same values) instead of a scalar tail
                for (int j = 0; ; j = Math.min(j + L, ow - L)) {
                    int k = r0 + 2 * j;
                    FloatVector a = FloatVector.fromArray(F, x, xOff + k, EVEN, 0);
                    FloatVector b = FloatVector.fromArray(F, x, xOff + k + 1, EVEN, 0);
                    FloatVector cc = FloatVector.fromArray(F, x, xOff + k + w, EVEN, 0);
                    FloatVector d = FloatVector.fromArray(F, x, xOff + k + w + 1, EVEN, 0);
                    FloatVector sum = a.add(b).add(cc.add(d));
                    if (sum.compare(VectorOperators.NE, sum).anyTrue()) {
                        PoolKernels.maxForward2Scalar(x, xOff, w, r0, j, j + L, y, yOff + o + j, switches, sOff + o + j);
                    } else {
                        IntVector idx = even.add(k);
                        VectorMask<Float> m = b.compare(VectorOperators.GT, a);
                        FloatVector best = a.blend(b, m);
                        idx = idx.blend(idx.add(1), m.cast(I));
                        m = cc.compare(VectorOperators.GT, best);
                        best = best.blend(cc, m);
                        idx = idx.blend(even.add(k + w), m.cast(I));
                        m = d.compare(VectorOperators.GT, best);
                        best = best.blend(d, m);
                        idx = idx.blend(even.add(k + w + 1), m.cast(I));
                        best.intoArray(y, yOff + o + j);
                        idx.intoArray(switches, sOff + o + j);
                    }
                    if (j + L >= ow) {
                        break;
                    }
                }
                o += ow;
            }
        }
    }

    /** See {@link PoolKernels#max2Values}: the same {@link Math#max} tree, eight windows at a time. */
    static void max2Values(float[] x, int xOff, int c, int h, int w, float[] y, int yOff) {
        final int oh = h / 2;
        final int ow = w / 2;
        int o = yOff;
        for (int ci = 0; ci < c; ci++) {
            int plane = xOff + ci * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = plane + 2 * i * w;
                if (ow < L) {
                    for (int j = 0, k = r0; j < ow; j++, k += 2) {
                        y[o + j] = Math.max(Math.max(x[k], x[k + 1]), Math.max(x[k + w], x[k + w + 1]));
                    }
                    o += ow;
                    continue;
                }
                // as in maxForward2: the last chunk of a row starts at ow - 8
                for (int j = 0; ; j = Math.min(j + L, ow - L)) {
                    int k = r0 + 2 * j;
                    FloatVector a = FloatVector.fromArray(F, x, k, EVEN, 0);
                    FloatVector b = FloatVector.fromArray(F, x, k + 1, EVEN, 0);
                    FloatVector cc = FloatVector.fromArray(F, x, k + w, EVEN, 0);
                    FloatVector d = FloatVector.fromArray(F, x, k + w + 1, EVEN, 0);
                    a.lanewise(VectorOperators.MAX, b).lanewise(VectorOperators.MAX, cc.lanewise(VectorOperators.MAX, d)).intoArray(y, o + j);
                    if (j + L >= ow) {
                        break;
                    }
                }
                o += ow;
            }
        }
    }
}
