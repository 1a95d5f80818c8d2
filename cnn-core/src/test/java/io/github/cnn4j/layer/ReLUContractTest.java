package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import io.github.cnn4j.testing.TestData;
import java.util.List;

/** {@link ReLU} under the shared {@link LayerContract} (its own details are in ReLUTest). */
class ReLUContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new ReLU();
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(3), Shape.of(2, 3, 3), Shape.of(1, 4, 5));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new ReLU(), Shape.of(4), new float[] {-2, 0, 3, -0.5f}, new float[0][], new float[] {0, 0, 3, 0}, new float[] {5, 6, 7, 8}, new float[] {0, 0, 7, 0}, new float[0][]);
    }

    @Override
    protected float[] inputs(float[] x) {
        return TestData.awayFromZero(x, 0.1f); // no input on the kink at 0
    }
}
