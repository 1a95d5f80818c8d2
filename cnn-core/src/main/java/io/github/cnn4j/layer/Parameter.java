package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;

/**
 * A trainable array: its values and the gradient accumulated for them.
 *
 * <p>Backward passes add to the gradient; an optimizer reads it, updates the values and clears it.
 * Rank-2 parameters (dense weights, {@code in x out}) are also exposed as EJML matrices sharing the
 * same arrays. A parameter can be {@linkplain #frozen(boolean) frozen}: its gradient is still computed
 * (layers below it need the input gradient anyway), but the trainer never steps it.
 */
public final class Parameter {
    private final String name;
    private final Shape shape;
    private final float[] value;
    private final float[] grad;
    private final FMatrixRMaj valueMatrix;
    private final FMatrixRMaj gradMatrix;
    private volatile boolean frozen;

    /**
     * @param name  name for summaries and error messages, e.g. {@code weight}
     * @param shape shape of the values
     */
    public Parameter(String name, Shape shape) {
        this.name = name;
        this.shape = shape;
        this.value = new float[shape.size()];
        this.grad = new float[shape.size()];
        int rows = shape.rank() == 2 ? shape.dim(0) : 1;
        int cols = shape.size() / rows;
        this.valueMatrix = FMatrixRMaj.wrap(rows, cols, value);
        this.gradMatrix = FMatrixRMaj.wrap(rows, cols, grad);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the shape */
    public Shape shape() {
        return shape;
    }

    /** @return number of values */
    public int size() {
        return value.length;
    }

    /** @return the values (live array; optimizers and loaders modify it) */
    public float[] value() {
        return value;
    }

    /** @return the accumulated gradient (live array) */
    public float[] grad() {
        return grad;
    }

    /** @return the values as a matrix sharing {@link #value()} ({@code rows x cols} for rank 2, else a row) */
    public FMatrixRMaj valueMatrix() {
        return valueMatrix;
    }

    /** @return the gradient as a matrix sharing {@link #grad()} */
    public FMatrixRMaj gradMatrix() {
        return gradMatrix;
    }

    /**
     * @return whether this parameter is frozen: the trainer leaves it out of optimizer steps, weight
     *         decay and the optimizer state, so its values do not change (fine-tuning)
     */
    public boolean frozen() {
        return frozen;
    }

    /** @param frozen whether the trainer must leave this parameter's values as they are */
    public void frozen(boolean frozen) {
        this.frozen = frozen;
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }

    /**
     * Copies values in, checking the count.
     *
     * @param values new values, exactly {@link #size()} of them
     */
    public void set(float[] values) {
        if (values.length != value.length) {
            throw new IllegalArgumentException(name + " " + shape + " needs " + value.length + " values, got " + values.length);
        }
        System.arraycopy(values, 0, value, 0, value.length);
    }

    @Override
    public String toString() {
        return name + shape;
    }
}
