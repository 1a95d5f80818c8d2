package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link Softmax} under the shared {@link LayerContract} (its own details are in SoftmaxTest). */
class SoftmaxContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new Softmax();
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1), Shape.of(5));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new Softmax(), Shape.of(2), new float[] {0, (float) Math.log(3)}, new float[0][], new float[] {0.25f, 0.75f}, new float[] {1, 0}, new float[] {0.1875f, -0.1875f}, new float[0][]);
    }

    @Override
    protected List<Layer> model(Shape input) {
        return List.of(new Flatten(), new Dense(2), new Softmax()); // Softmax must be last
    }
}
