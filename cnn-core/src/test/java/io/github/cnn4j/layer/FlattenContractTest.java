package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link Flatten} under the shared {@link LayerContract} (its own details are in FlattenTest). */
class FlattenContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new Flatten();
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(4), Shape.of(2, 3, 3));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new Flatten(), Shape.of(1, 2, 2), new float[] {1, 2, 3, 4}, new float[0][], new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8}, new float[] {5, 6, 7, 8}, new float[0][]);
    }
}
