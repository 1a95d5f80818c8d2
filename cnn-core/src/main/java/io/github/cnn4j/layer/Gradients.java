package io.github.cnn4j.layer;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.FMatrixRMaj;

/**
 * Gradient buffers for an ordered list of parameters. Either the parameters' own gradients
 * ({@link #shared}) or private copies ({@link #allocate}) that a worker fills and that are later
 * added to the shared ones in a fixed order, so results do not depend on thread scheduling.
 */
public final class Gradients {
    /** Elements per tile of {@link #addSlice}: 8 KB of the target, well inside an L1 data cache. */
    private static final int TILE = 2048;

    private final List<Parameter> parameters;
    private final float[][] arrays;
    private final FMatrixRMaj[] matrices;

    private Gradients(List<Parameter> parameters, boolean shared) {
        this.parameters = List.copyOf(parameters);
        this.arrays = new float[parameters.size()][];
        this.matrices = new FMatrixRMaj[parameters.size()];
        for (int i = 0; i < arrays.length; i++) {
            Parameter p = parameters.get(i);
            if (shared) {
                arrays[i] = p.grad();
                matrices[i] = p.gradMatrix();
            } else {
                arrays[i] = new float[p.size()];
                matrices[i] = FMatrixRMaj.wrap(p.gradMatrix().numRows, p.gradMatrix().numCols, arrays[i]);
            }
        }
    }

    /**
     * @param parameters the parameters
     * @return buffers that are the parameters' own gradient arrays
     */
    public static Gradients shared(List<Parameter> parameters) {
        return new Gradients(parameters, true);
    }

    /**
     * @param parameters the parameters
     * @return new zeroed private buffers of the same sizes
     */
    public static Gradients allocate(List<Parameter> parameters) {
        return new Gradients(parameters, false);
    }

    /** @return the parameters, in order */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * @param i parameter index
     * @return the gradient array of parameter {@code i}
     */
    public float[] array(int i) {
        return arrays[i];
    }

    /**
     * @param i parameter index
     * @return the gradient of parameter {@code i} as a matrix
     */
    public FMatrixRMaj matrix(int i) {
        return matrices[i];
    }

    /** Sets every buffer to zero. */
    public void zero() {
        for (float[] a : arrays) {
            Arrays.fill(a, 0f);
        }
    }

    /**
     * Adds these buffers element-wise into {@code target} (modified).
     *
     * @param target buffers for the same parameters
     */
    public void addTo(Gradients target) {
        for (int i = 0; i < arrays.length; i++) {
            float[] src = arrays[i];
            float[] dst = target.arrays[i];
            for (int k = 0; k < src.length; k++) {
                dst[k] += src[k];
            }
        }
    }

    /**
     * Adds {@code parts[0 .. count)} into these buffers, but only slice {@code slice} of
     * {@code slices} of every array (elements {@code [len * slice / slices, len * (slice + 1) / slices)}).
     * Each element gets {@code parts[0]}, then {@code parts[1]}, ... added in order, exactly as
     * {@code count} calls of {@link #addTo} in part order would: the slices of one reduction can run
     * on different threads ({@code pool.run(slices, (w, s) -> shared.addSlice(parts, count, s, slices))})
     * and give the same bits as the serial loop, so the reduction of many chunks need not run on one
     * thread.
     *
     * @param parts  buffers for the same parameters
     * @param count  how many of {@code parts} to add, in order
     * @param slice  which slice, {@code 0 <= slice < slices}
     * @param slices into how many slices the arrays are cut, at least 1
     */
    public void addSlice(Gradients[] parts, int count, int slice, int slices) {
        if (slices < 1 || slice < 0 || slice >= slices || count > parts.length) {
            throw new IllegalArgumentException("slice " + slice + " of " + slices + ", " + count + " of " + parts.length + " parts");
        }
        for (int i = 0; i < arrays.length; i++) {
            float[] dst = arrays[i];
            int from = (int) ((long) dst.length * slice / slices);
            int to = (int) ((long) dst.length * (slice + 1) / slices);
            // tiles of TILE elements, every part added to a tile before the next: the tile of dst
            // stays in the L1 cache, and each element still gets its parts in part order
            for (int t0 = from; t0 < to; t0 += TILE) {
                int t1 = Math.min(to, t0 + TILE);
                for (int c = 0; c < count; c++) {
                    float[] src = parts[c].arrays[i];
                    for (int k = t0; k < t1; k++) {
                        dst[k] += src[k];
                    }
                }
            }
        }
    }
}
