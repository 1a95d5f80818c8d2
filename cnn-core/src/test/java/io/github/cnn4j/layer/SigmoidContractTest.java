package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link Sigmoid} under the shared {@link LayerContract} (its own details are in SigmoidTest). */
class SigmoidContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new Sigmoid();
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(3), Shape.of(2, 3, 3));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new Sigmoid(), Shape.of(2), new float[] {0, (float) Math.log(3)}, new float[0][], new float[] {0.5f, 0.75f}, new float[] {1, 2}, new float[] {0.25f, 0.375f}, new float[0][]);
    }
}
