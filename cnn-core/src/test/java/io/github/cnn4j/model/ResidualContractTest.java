package io.github.cnn4j.model;

import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.LayerContract;
import java.util.List;

/** {@link Residual} with the identity shortcut (a conv, batch-norm, tanh, conv body) under the shared {@link LayerContract}. */
class ResidualContractTest extends LayerContract {
    @Override
    protected Layer layer(Shape input) {
        int c = input.channels();
        // epsilon 0.1 rather than 1e-5: batch norm over one 3 x 3 plane of one sample can see a variance near zero, where
        // 1 / sqrt(var + eps) is so steep that central differences are wrong by up to 0.6 (jqwik seed 9209416414013032564);
        // this test checks the residual wiring around batch norm; BatchNormTest checks batch norm's own gradient
        return new Residual(new Block(new Conv(3, 3, c).padding(1), new BatchNorm().epsilon(0.1), new Tanh(),
                new Conv(3, 3, c).padding(1)));
    }

    @Override
    protected List<Shape> shapes() {
        return List.of(Shape.of(1, 3, 3), Shape.of(2, 4, 4));
    }

    @Override
    protected LayerContext context(Layer built) {
        LayerContext c = new LayerContext(built.parameters());
        c.training(true); // reaches the nested batch norm: batch statistics
        return c;
    }

    @Override
    protected GradientCheck.Options tolerances() {
        return new GradientCheck.Options(3e-3, 1e-3, 2e-4, 1e-8); // batch norm in training, as in BatchNormTest
    }

    @Override
    protected HandCase handCase() {
        // W = [[1, 2], [3, 4]] (in x out): Wx = [4, 6], + x = [5, 7]; dx = W dy + dy = [4, 8]; dW = x dy^T; db = dy
        return new HandCase(new Residual(new Dense(2)), Shape.of(2), new float[] {1, 1}, new float[][] {{1, 2, 3, 4}, {0, 0}},
                new float[] {5, 7}, new float[] {1, 1}, new float[] {4, 8}, new float[][] {{1, 1, 1, 1}, {1, 1}});
    }
}
