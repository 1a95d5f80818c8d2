package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Momentum;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.optim.WeightDecay;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private static List<EpochStats> history(double... validationLosses) {
        List<EpochStats> h = new ArrayList<>();
        for (int i = 0; i < validationLosses.length; i++) {
            h.add(new EpochStats(i + 1, 9, Double.NaN, Double.NaN, 1, false, validationLosses[i], 0.5, 0.1));
        }
        return h;
    }

    @Test
    void stepDecayMultipliesEveryFewEpochs() {
        LearningRateSchedule s = LearningRateSchedule.step(3, 0.5);
        double[] expected = {1, 1, 1, 0.5, 0.5, 0.5, 0.25};
        for (int e = 1; e <= expected.length; e++) {
            assertEquals(expected[e - 1], s.rate(e, 1.0, List.of()), 1e-12, "epoch " + e);
        }
        assertEquals(0.1, LearningRateSchedule.constant().rate(9, 0.1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(1, 1.5));
    }

    @Test
    void cosineGoesFromTheBaseRateTowardsTheMinimum() {
        LearningRateSchedule s = LearningRateSchedule.cosine(4, 0.1);
        assertEquals(2.0, s.rate(1, 2.0, List.of()), 1e-12);
        assertEquals(0.2 + 1.8 * (1 + Math.cos(Math.PI / 4)) / 2, s.rate(2, 2.0, List.of()), 1e-12);
        assertEquals(0.2 + 1.8 * 0.5, s.rate(3, 2.0, List.of()), 1e-12, "half way: the mean of base and min");
        assertEquals(s.rate(4, 2.0, List.of()), s.rate(9, 2.0, List.of()), "after the cosine the last rate stays");
        for (int e = 1; e < 4; e++) {
            assertEquals(true, s.rate(e + 1, 2.0, List.of()) < s.rate(e, 2.0, List.of()));
        }
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(5, 1));
    }

    @Test
    void plateauCutsAfterPatienceEpochsWithoutImprovement() {
        LearningRateSchedule s = LearningRateSchedule.reduceOnPlateau(2, 0.5, 0.01);
        assertEquals(0.08, s.rate(1, 0.08, history()), 1e-12);
        assertEquals(0.08, s.rate(4, 0.08, history(1.0, 0.9, 0.8)), 1e-12, "improving: no cut");
        assertEquals(0.08, s.rate(4, 0.08, history(1.0, 0.9, 0.95)), 1e-12, "one bad epoch < patience");
        assertEquals(0.04, s.rate(4, 0.08, history(1.0, 0.9, 0.95, 0.9)), 1e-12, "two bad epochs: one cut");
        assertEquals(0.04, s.rate(6, 0.08, history(1.0, 0.9, 0.95, 0.9, 0.91)), 1e-12, "the count restarts after a cut");
        assertEquals(0.02, s.rate(7, 0.08, history(1.0, 0.9, 0.95, 0.9, 0.91, 0.92)), 1e-12);
        assertEquals(0.01, s.rate(20, 0.08, history(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)), 1e-12, "never below the minimum");
        // Without a validation loss the training loss is watched.
        List<EpochStats> train = List.of(new EpochStats(1, 2.0, 0.1, 0.9, 1, true), new EpochStats(2, 2.5, 0.05, 0.95, 1, true),
                new EpochStats(3, 2.5, 0.01, 0.99, 1, true));
        assertEquals(0.04, s.rate(4, 0.08, train), 1e-12, "the test loss improved, but it is never watched");
        assertThrows(IllegalArgumentException.class, () -> new ReduceOnPlateau(0, 0.5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new ReduceOnPlateau(1, 1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new ReduceOnPlateau(1, 0.5, 0));
    }

    @Test
    void theTrainerSetsTheRateOfEveryEpochAndRecordsIt() {
        Dataset data = TestData.random(64, Shape.of(1, 4, 4), 3, 1);
        Sequential m = Sequential.of(new Flatten(), new Dense(3), new Softmax()).input(1, 4, 4).seed(1).build();
        List<Float> seen = new ArrayList<>();
        Optimizer opt = new WeightDecay(new Momentum(0.4, 0.9), 1e-4);
        TrainingListener spy = new TrainingListener() {
            @Override
            public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
                if (samplesInEpoch == 64) {
                    seen.add(opt.learningRate());
                }
            }
        };
        TrainingResult r = Trainer.builder(m).optimizer(opt).epochs(5).batchSize(16).schedule(LearningRateSchedule.step(2, 0.5))
                .listener(spy).build().fit(data);
        assertEquals(List.of(0.4f, 0.4f, 0.2f, 0.2f, 0.1f), seen);
        assertEquals(List.of(0.4f, 0.4f, 0.2f, 0.2f, 0.1f), r.epochs().stream().map(e -> (float) e.learningRate()).toList());
    }
}
