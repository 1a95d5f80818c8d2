package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link Tanh} under the shared {@link LayerContract} (its own details are in TanhTest). */
class TanhContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new Tanh();
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(3), Shape.of(2, 3, 3));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new Tanh(), Shape.of(2), new float[] {0, (float) Math.log(2)}, new float[0][], new float[] {0, 0.6f}, new float[] {1, 2}, new float[] {1, 1.28f}, new float[0][]);
    }
}
