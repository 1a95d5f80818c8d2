package io.github.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2 x 2 and 3 x 3 max pooling on the Java Vector API, eight windows of a channel plane at a time.
 * Used by {@link MaxPoolKernels} when {@link Vectorization#enabled()}; loaded only then.
 *
 * <p>The windows of a plane are numbered in output order ({@code q = i * OW + j}); the input offset
 * of each window's top-left corner is in a table ({@link #offsets}, made once per plane shape), and
 * the corners of eight consecutive windows are gathered through it, whatever the row length: a
 * plane of 4 x 4 windows is two chunks, where a row-by-row loop would have four rows too short for a
 * vector. A plane whose window count is not a multiple of eight ends with the chunk of its last
 * eight windows, overlapping the one before and recomputing a few windows to the same values.
 *
 * <p>The winner is selected with the scalar rule ({@link MaxPoolWindows}): a later value of the
 * window in row-major order replaces the best so far only if strictly greater, by compare and
 * blend, its index blended along. A chunk holding a NaN (or infinities of both signs) anywhere is
 * redone by the scalar window rule, and planes of fewer than eight windows run scalar; the outputs
 * and switches are identical to the scalar kernels'.
 *
 * <p>The code for each window size is written out (no loop over the window carrying vectors: in JDK
 * 17 a vector carried around a loop can defeat C2's boxing elimination).
 */
final class VectorMaxPoolKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int L = 8;

    private VectorMaxPoolKernels() {
    }

    /**
     * @param h input height
     * @param w input width
     * @param s window size and stride
     * @return whether {@link #maxForward} handles this shape (2 x 2 or 3 x 3, at least eight windows per plane)
     */
    static boolean handles(int h, int w, int s) {
        return (s == 2 || s == 3) && (h / s) * (w / s) >= L;
    }

    /** The window offsets of one plane shape. */
    private record Windows(int h, int w, int s, int[] offsets) {
    }

    /**
     * A small cache of window offset tables (immutable entries, so a racy read sees a whole one):
     * each shape has {@value #WAYS} candidate slots from a mixed hash, so the few pooling shapes of
     * a model find their tables without recomputing them (and steady-state calls allocate nothing).
     */
    private static final Windows[] CACHE = new Windows[64];
    private static final int WAYS = 4;

    /** Empties the cache (for tests that check what it keeps). */
    static void clearOffsets() {
        java.util.Arrays.fill(CACHE, null);
    }

    /** {@code offsets[q] = s * (q / OW) * W + s * (q % OW)}: the top-left input of window {@code q} in its plane. */
    static int[] offsets(int h, int w, int s) {
        int hash = h * 0x9E3779B1 ^ w * 0x85EBCA6B ^ s * 0xC2B2AE35;
        int first = (hash ^ (hash >>> 15)) & (CACHE.length - 1);
        int free = -1;
        for (int k = 0; k < WAYS; k++) {
            int slot = (first + k) & (CACHE.length - 1);
            Windows e = CACHE[slot];
            if (e == null) {
                free = free < 0 ? slot : free;
            } else if (e.h() == h && e.w() == w && e.s() == s) {
                return e.offsets();
            }
        }
        int oh = h / s;
        int ow = w / s;
        int[] off = new int[oh * ow];
        for (int q = 0; q < off.length; q++) {
            off[q] = s * (q / ow) * w + s * (q % ow);
        }
        // a full set of candidate slots (more than four shapes meeting there) replaces one by the shape's hash
        CACHE[free >= 0 ? free : (first + ((hash >>> 8) & (WAYS - 1))) & (CACHE.length - 1)] = new Windows(h, w, s, off);
        return off;
    }

    /** See {@link MaxPoolKernels#maxForward}; only for shapes that {@link #handles}. */
    static void maxForward(float[] x, int xOff, int c, int h, int w, int s, float[] y, int yOff, int[] switches, int sOff) {
        final int q = (h / s) * (w / s);
        final int[] off = offsets(h, w, s);
        for (int ci = 0; ci < c; ci++) {
            int plane = ci * h * w;
            int o = ci * q;
            for (int q0 = 0; ; q0 = Math.min(q0 + L, q - L)) {
                if (s == 2) {
                    chunk2(x, xOff, w, plane, off, q0, y, yOff + o + q0, switches, sOff + o + q0);
                } else {
                    chunk3(x, xOff, w, plane, off, q0, y, yOff + o + q0, switches, sOff + o + q0);
                }
                if (q0 + L >= q) {
                    break;
                }
            }
        }
    }

    /** Eight 2 x 2 windows {@code q0 .. q0 + 7} of the plane at {@code plane}. */
    private static void chunk2(float[] x, int xOff, int w, int plane, int[] off, int q0, float[] y, int yo, int[] switches, int so) {
        int base = xOff + plane;
        FloatVector a = FloatVector.fromArray(F, x, base, off, q0);
        FloatVector b = FloatVector.fromArray(F, x, base + 1, off, q0);
        FloatVector cc = FloatVector.fromArray(F, x, base + w, off, q0);
        FloatVector d = FloatVector.fromArray(F, x, base + w + 1, off, q0);
        FloatVector sum = a.add(b).add(cc.add(d));
        if (sum.compare(VectorOperators.NE, sum).anyTrue()) {
            scalarChunk(x, xOff, w, 2, plane, off, q0, y, yo, switches, so);
            return;
        }
        IntVector k = IntVector.fromArray(I, off, q0).add(plane);
        VectorMask<Float> m = b.compare(VectorOperators.GT, a);
        FloatVector best = a.blend(b, m);
        IntVector idx = k.blend(k.add(1), m.cast(I));
        m = cc.compare(VectorOperators.GT, best);
        best = best.blend(cc, m);
        idx = idx.blend(k.add(w), m.cast(I));
        m = d.compare(VectorOperators.GT, best);
        best = best.blend(d, m);
        idx = idx.blend(k.add(w + 1), m.cast(I));
        best.intoArray(y, yo);
        idx.intoArray(switches, so);
    }

    /** Eight 3 x 3 windows {@code q0 .. q0 + 7} of the plane at {@code plane}, corners in row-major order. */
    private static void chunk3(float[] x, int xOff, int w, int plane, int[] off, int q0, float[] y, int yo, int[] switches, int so) {
        int base = xOff + plane;
        int w2 = 2 * w;
        FloatVector v0 = FloatVector.fromArray(F, x, base, off, q0);
        FloatVector v1 = FloatVector.fromArray(F, x, base + 1, off, q0);
        FloatVector v2 = FloatVector.fromArray(F, x, base + 2, off, q0);
        FloatVector v3 = FloatVector.fromArray(F, x, base + w, off, q0);
        FloatVector v4 = FloatVector.fromArray(F, x, base + w + 1, off, q0);
        FloatVector v5 = FloatVector.fromArray(F, x, base + w + 2, off, q0);
        FloatVector v6 = FloatVector.fromArray(F, x, base + w2, off, q0);
        FloatVector v7 = FloatVector.fromArray(F, x, base + w2 + 1, off, q0);
        FloatVector v8 = FloatVector.fromArray(F, x, base + w2 + 2, off, q0);
        FloatVector sum = v0.add(v1).add(v2.add(v3)).add(v4.add(v5).add(v6.add(v7))).add(v8);
        if (sum.compare(VectorOperators.NE, sum).anyTrue()) {
            scalarChunk(x, xOff, w, 3, plane, off, q0, y, yo, switches, so);
            return;
        }
        IntVector k = IntVector.fromArray(I, off, q0).add(plane);
        FloatVector best = v0;
        IntVector idx = k;
        VectorMask<Float> m = v1.compare(VectorOperators.GT, best);
        best = best.blend(v1, m);
        idx = idx.blend(k.add(1), m.cast(I));
        m = v2.compare(VectorOperators.GT, best);
        best = best.blend(v2, m);
        idx = idx.blend(k.add(2), m.cast(I));
        m = v3.compare(VectorOperators.GT, best);
        best = best.blend(v3, m);
        idx = idx.blend(k.add(w), m.cast(I));
        m = v4.compare(VectorOperators.GT, best);
        best = best.blend(v4, m);
        idx = idx.blend(k.add(w + 1), m.cast(I));
        m = v5.compare(VectorOperators.GT, best);
        best = best.blend(v5, m);
        idx = idx.blend(k.add(w + 2), m.cast(I));
        m = v6.compare(VectorOperators.GT, best);
        best = best.blend(v6, m);
        idx = idx.blend(k.add(w2), m.cast(I));
        m = v7.compare(VectorOperators.GT, best);
        best = best.blend(v7, m);
        idx = idx.blend(k.add(w2 + 1), m.cast(I));
        m = v8.compare(VectorOperators.GT, best);
        best = best.blend(v8, m);
        idx = idx.blend(k.add(w2 + 2), m.cast(I));
        best.intoArray(y, yo);
        idx.intoArray(switches, so);
    }

    /** The eight windows of a chunk by the scalar rule (a NaN somewhere in the chunk). */
    private static void scalarChunk(float[] x, int xOff, int w, int s, int plane, int[] off, int q0, float[] y, int yo, int[] switches, int so) {
        for (int l = 0; l < L; l++) {
            MaxPoolWindows.window(x, xOff, w, s, plane + off[q0 + l], y, yo + l, switches, so + l);
        }
    }

    /** See {@link MaxPoolKernels#max2Values}: the same {@link Math#max} tree, eight windows at a time; planes of fewer than eight windows run scalar. */
    static void max2Values(float[] x, int xOff, int c, int h, int w, float[] y, int yOff) {
        final int q = (h / 2) * (w / 2);
        final int[] off = offsets(h, w, 2);
        for (int ci = 0; ci < c; ci++) {
            int base = xOff + ci * h * w;
            int o = yOff + ci * q;
            if (q < L) {
                for (int j = 0; j < q; j++) {
                    y[o + j] = MaxPoolWindows.max2(x, base + off[j], w);
                }
                continue;
            }
            for (int q0 = 0; ; q0 = Math.min(q0 + L, q - L)) {
                FloatVector a = FloatVector.fromArray(F, x, base, off, q0);
                FloatVector b = FloatVector.fromArray(F, x, base + 1, off, q0);
                FloatVector cc = FloatVector.fromArray(F, x, base + w, off, q0);
                FloatVector d = FloatVector.fromArray(F, x, base + w + 1, off, q0);
                a.lanewise(VectorOperators.MAX, b).lanewise(VectorOperators.MAX, cc.lanewise(VectorOperators.MAX, d)).intoArray(y, o + q0);
                if (q0 + L >= q) {
                    break;
                }
            }
        }
    }
}
