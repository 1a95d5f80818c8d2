package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link MaxPool} under the shared {@link LayerContract} (its own details are in MaxPoolTest). */
class MaxPoolContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new MaxPool(2);
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1, 2, 2), Shape.of(2, 5, 4), Shape.of(3, 4, 6));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new MaxPool(2), Shape.of(1, 2, 2), new float[] {1, 4, 2, 3}, new float[0][], new float[] {4}, new float[] {5}, new float[] {0, 5, 0, 0}, new float[0][]);
    }

    @Override
    protected float[] inputs(float[] x) {
        return distinct(x); // no ties within a window
    }
}
