package io.github.cnn4j.model;

import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/**
 * {@link Residual} whose block changes the shape (strided, more channels), so a 1x1 projection
 * shortcut is added, under the shared {@link LayerContract}; the hand case uses an explicit shortcut.
 */
class ResidualProjectionContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new Residual(new Block(new Conv(3, 3, 3).padding(1).stride(2), new Tanh()));
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1, 4, 4), Shape.of(2, 5, 5));
    }

    @Override
    protected HandCase handCase() {
        // block: 2 * 1 + 3 * 2 + 1 = 9; shortcut: 1 + 2 = 3; dx = (2, 3) + (1, 1)
        return new HandCase(new Residual(new Dense(1), new Dense(1)), Shape.of(2), new float[] {1, 2},
                new float[][] {{2, 3}, {1}, {1, 1}, {0}}, new float[] {12}, new float[] {1}, new float[] {3, 4},
                new float[][] {{1, 2}, {1}, {1, 2}, {1}});
    }
}
