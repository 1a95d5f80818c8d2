package io.github.cnn4j.model;

import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link Block} under the shared {@link LayerContract}. */
class BlockContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new Block(new Conv(3, 3, 2).padding(1), new Tanh(), new AvgPool(2));
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1, 2, 2), Shape.of(2, 5, 4));
    }

    @Override
    protected HandCase handCase() {
        // relu(2 * 1 + 3 * 2 + 1) = 9; dx = W dy; dW = x dy; db = dy
        return new HandCase(new Block(new Dense(1), new ReLU()), Shape.of(2), new float[] {1, 2}, new float[][] {{2, 3}, {1}},
                new float[] {9}, new float[] {1}, new float[] {2, 3}, new float[][] {{1, 2}, {1}});
    }
}
