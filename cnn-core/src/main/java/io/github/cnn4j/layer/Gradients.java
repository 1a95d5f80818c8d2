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
}
