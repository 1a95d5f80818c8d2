package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link BatchNorm} under the shared {@link LayerContract} (its own details are in BatchNormTest). */
class BatchNormContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        return new BatchNorm();
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1, 2, 2), Shape.of(2, 3, 3)); // training: at least four values per channel
    }

    @Override
    protected HandCase handCase() {
        return new HandCase(new BatchNorm().epsilon(1e-12), Shape.of(1), new float[] {3}, new float[][] {{2}, {1}, {1}, {4}}, new float[] {3}, new float[] {1}, new float[] {1}, new float[][] {{1}, {1}});
    }

    @Override
    protected LayerContext context(Layer built) {
        LayerContext c = new LayerContext(built.parameters());
        c.training(true); // batch statistics: the harder gradient
        return c;
    }

    @Override
    protected float[] inputs(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] += (i % 5) * 0.7f; // no nearly constant channel
        }
        return x;
    }

    @Override
    protected GradientCheck.Options tolerances() {
        return new GradientCheck.Options(3e-3, 1e-3, 2e-4, 1e-8); // see BatchNormTest: eps 1e-2 is too coarse
    }
}
