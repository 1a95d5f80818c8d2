package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link Dropout} under the shared {@link LayerContract} (its own details are in DropoutTest). */
class DropoutContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new Dropout(0.5);
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(3), Shape.of(2, 3, 3));
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new Dropout(0.5), Shape.of(2), new float[] {1, -2}, new float[0][], new float[] {1, -2}, new float[] {3, 4}, new float[] {3, 4}, new float[0][]);
    }

    @Override
    protected LayerContext context(Layer built) {
        LayerContext c = new LayerContext(built.parameters());
        c.training(true); // masks from the (fixed) per-sample seeds
        return c;
    }
}
