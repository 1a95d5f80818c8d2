package io.github.cnn4j.io.checkpoint;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.TestData;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.Trainer;
import java.util.List;

/** Real-MNIST subsets and the paper's model D for checkpoint tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** The paper's model D: two 3x3 conv blocks of 8 filters, then the softmax output. */
    static Sequential modelD() {
        return Sequential.of(new Conv(3, 3, 8), new ReLU(), new MaxPool(2), new Conv(3, 3, 8), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(10), new Softmax()).input(1, 28, 28).seed(17312235).build();
    }

    /** @return the first {@code n} real MNIST training images */
    static Dataset train(int n) {
        return TestData.mnist().train().subset(0, n);
    }

    /** @return the first {@code n} real MNIST test images */
    static Dataset test(int n) {
        return TestData.mnist().test().subset(0, n);
    }

    /** A trainer with the settings the checkpoint tests use: Adam (so there are buffers), PAPER shuffle, keep best. */
    static Trainer.Builder trainer(Sequential model, Dataset test, int epochs) {
        return Trainer.builder(model).optimizer(new Adam(0.003)).shuffle(ShuffleMode.PAPER).seed(98524352).epochs(epochs)
                .testSet(test).keepBest(true).blockSize(100);
    }

    /** @return a copy whose storage the test may modify */
    static Dataset copy(Dataset d) {
        int s = d.shape().size();
        float[] images = new float[d.size() * s];
        d.copyBatch(0, d.size(), images, new int[d.size()]);
        return new Dataset(images, d.labels(), d.shape(), d.classes());
    }

    static float[][] weights(Sequential m) {
        return m.parameters().stream().map(p -> p.value().clone()).toArray(float[][]::new);
    }

    static List<float[]> list(float[][] a) {
        return List.of(a);
    }
}
