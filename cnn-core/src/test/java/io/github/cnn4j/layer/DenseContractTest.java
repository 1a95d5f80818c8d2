package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link Dense} under the shared {@link LayerContract} (its own details are in DenseTest). */
class DenseContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new Dense(3);
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1), Shape.of(4));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new Dense(1), Shape.of(2), new float[] {1, 2}, new float[][] {{2, 3}, {1}}, new float[] {9}, new float[] {1}, new float[] {2, 3}, new float[][] {{1, 2}, {1}});
    }
}
