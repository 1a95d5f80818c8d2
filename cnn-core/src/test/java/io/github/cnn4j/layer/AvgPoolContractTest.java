package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link AvgPool} under the shared {@link LayerContract} (its own details are in AvgPoolTest). */
class AvgPoolContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new AvgPool(2);
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1, 2, 2), Shape.of(2, 5, 4));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new AvgPool(2), Shape.of(1, 2, 2), new float[] {1, 4, 2, 3}, new float[0][], new float[] {2.5f}, new float[] {4}, new float[] {1, 1, 1, 1}, new float[0][]);
    }
}
