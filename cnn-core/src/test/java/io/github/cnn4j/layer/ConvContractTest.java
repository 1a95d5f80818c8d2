package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link Conv} under the shared {@link LayerContract} (its own details are in ConvTest). */
class ConvContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new Conv(3, 3, 2).padding(1);
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1, 3, 3), Shape.of(2, 5, 4));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new Conv(2, 2, 1), Shape.of(1, 2, 2), new float[] {1, 1, 1, 2}, new float[][] {{1, 2, 3, 4}, {0.5f}}, new float[] {14.5f}, new float[] {2}, new float[] {2, 4, 6, 8}, new float[][] {{2, 2, 2, 4}, {2}});
    }
}
