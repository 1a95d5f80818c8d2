package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.optim.Momentum;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.testing.TestData;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Learns horizontal vs vertical bars: a small conv net must get held-out synthetic images right. */
class EndToEndTest {
    private static final Dataset TRAIN = TestData.bars(400, 12, 0.4, 2024);
    private static final Dataset TEST = TestData.bars(300, 12, 0.4, 9001);

    private static Sequential net(long seed) {
        return Sequential.of(new Conv(3, 3, 4), new ReLU(), new MaxPool(2), new Flatten(), new Dense(2), new Softmax())
                .input(1, 12, 12)
                .seed(seed)
                .build();
    }

    private static void trainsToOver95Percent(Optimizer optimizer, int batch, int epochs, int threads) {
        Sequential model = net(31);
        double before = Evaluation.of(model, TEST, 1).accuracy();
        TrainingResult r = Trainer.builder(model)
                .optimizer(optimizer)
                .batchSize(batch)
                .epochs(epochs)
                .threads(threads)
                .testSet(TEST)
                .build()
                .fit(TRAIN);
        Evaluation ev = Evaluation.of(model, TEST, 2);
        String report = optimizer.name() + ", batch " + batch + ": accuracy before " + before + ", after " + ev.accuracy() + "\n" + ev;
        assertTrue(ev.accuracy() > 0.95, report);
        assertTrue(before < 0.9, "the task must not be solved by the initial weights: " + report);
        assertEquals(ev.accuracy(), r.epochs().get(epochs - 1).testAccuracy(), 1e-12);
        assertTrue(r.epochs().get(epochs - 1).trainLoss() < r.epochs().get(0).trainLoss() || r.epochs().get(0).trainLoss() < 0.1, report);
        assertTrue(ev.recall(0) > 0.9 && ev.recall(1) > 0.9, report);
    }

    @Test
    void datasetIsBalancedEnough() {
        int[] c = TRAIN.classCounts();
        assertTrue(c[0] > 150 && c[1] > 150, Arrays.toString(c));
    }

    @Test
    void perSampleSgdLikeThePaper() {
        trainsToOver95Percent(new Sgd(0.05), 1, 3, 1);
    }

    @Test
    void batch32WithMomentum() {
        trainsToOver95Percent(new Momentum(0.05, 0.9), 32, 8, 2);
    }

    @Test
    void batch32WithAdam() {
        trainsToOver95Percent(new Adam(0.01), 32, 8, 2);
    }
}
