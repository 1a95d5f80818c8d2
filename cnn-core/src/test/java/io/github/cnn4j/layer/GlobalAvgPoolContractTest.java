package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link GlobalAvgPool} under the shared {@link LayerContract} (its own details are in GlobalAvgPoolTest). */
class GlobalAvgPoolContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new GlobalAvgPool();
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1, 1, 1), Shape.of(2, 3, 4));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new GlobalAvgPool(), Shape.of(2, 1, 2), new float[] {1, 3, 2, 6}, new float[0][], new float[] {2, 4}, new float[] {2, 4}, new float[] {1, 1, 2, 2}, new float[0][]);
    }
}
