package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.testing.TestData;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    private static EpochStats epoch(int e, boolean best) {
        return new EpochStats(e, 1, Double.NaN, Double.NaN, 1, best);
    }

    @Test
    void requestsAStopAfterPatienceEpochsWithoutABestOne() {
        EarlyStopping s = new EarlyStopping(2);
        s.onStart(10, 100);
        s.onEpoch(epoch(1, true));
        assertFalse(s.stopRequested());
        s.onEpoch(epoch(2, false));
        assertFalse(s.stopRequested());
        s.onEpoch(epoch(3, true));
        s.onEpoch(epoch(4, false));
        assertFalse(s.stopRequested());
        s.onEpoch(epoch(5, false));
        assertTrue(s.stopRequested(), "epochs 4 and 5 were not better than 3");
        s.onStart(10, 100);
        assertFalse(s.stopRequested(), "a new run starts afresh");
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0));
    }

    @Test
    void aListenerThatRequestsAStopEndsTrainingAfterThatEpoch() {
        Dataset data = TestData.bars(40, 12, 0.3, 2);
        Sequential model = Sequential.of(new Flatten(), new Dense(2), new Softmax()).input(1, 12, 12).seed(3).build();
        TrainingListener stopAfterTwo = new TrainingListener() {
            private int seen;

            @Override
            public void onEpoch(EpochStats e) {
                seen = e.epoch();
            }

            @Override
            public boolean stopRequested() {
                return seen == 2;
            }
        };
        TrainingResult r = Trainer.builder(model).epochs(5).listener(stopAfterTwo).build().fit(data);
        assertEquals(2, r.epochs().size(), "stopped after epoch 2");
    }
}
