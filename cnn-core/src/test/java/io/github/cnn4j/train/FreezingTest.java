package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.optim.WeightDecay;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fine-tuning: frozen layers keep their weights bit for bit, the rest trains; heads can be replaced. */
class FreezingTest {
    private static final Shape IMAGE = Shape.of(1, 8, 8);
    private static final Dataset TRAIN = TestData.random(90, IMAGE, 3, 1);

    private static Sequential net(long seed) {
        return Sequential.of(new Conv(3, 3, 3).padding(1), new ReLU(), new MaxPool(2), new Flatten(), new Dense(8), new Sigmoid(),
                new Dense(3), new Softmax()).input(IMAGE).seed(seed).build();
    }

    private static Trainer.Builder builder(Sequential m) {
        // weight decay too: a frozen weight must not decay either
        return Trainer.builder(m).optimizer(new WeightDecay(new Adam(0.01), 1e-2)).batchSize(20).threads(2).epochs(2).seed(3);
    }

    /** Without weight decay, whose wrapper cannot export optimizer state, for checkpoints. */
    private static Trainer.Builder checkpointable(Sequential m) {
        return Trainer.builder(m).optimizer(new Adam(0.01)).batchSize(20).threads(2).epochs(2).seed(3);
    }

    private static List<float[]> copy(List<Parameter> ps) {
        List<float[]> out = new ArrayList<>();
        ps.forEach(p -> out.add(p.value().clone()));
        return out;
    }

    @Test
    void frozenLayersAreBitIdenticalAfterTrainingAndTheOthersChange() {
        Sequential m = net(5).frozen(true, 0, 4);
        List<Parameter> frozen = new ArrayList<>(m.layers().get(0).parameters());
        frozen.addAll(m.layers().get(4).parameters());
        List<Parameter> trained = m.layers().get(6).parameters();
        List<float[]> frozenBefore = copy(frozen);
        List<float[]> trainedBefore = copy(trained);
        assertEquals(m.parameters().size() - 4, m.trainableParameters().size());
        builder(m).build().fit(TRAIN);
        for (int i = 0; i < frozen.size(); i++) {
            assertArrayEquals(frozenBefore.get(i), frozen.get(i).value(), 0f, "frozen " + frozen.get(i));
        }
        for (int i = 0; i < trained.size(); i++) {
            assertFalse(java.util.Arrays.equals(trainedBefore.get(i), trained.get(i).value()), "trained " + trained.get(i) + " changed");
        }
    }

    @Test
    void theOptimizerStateHoldsTheTrainableParametersOnlyAndAFrozenRunResumesExactly() {
        Sequential m = net(5).frozen(true, 0, 4);
        List<float[]> frozenBefore = copy(m.layers().get(0).parameters());
        List<TrainingState> states = new ArrayList<>();
        checkpointable(m).checkpoints(states::add).checkpointEvery(40).build().fit(TRAIN);
        assertArrayEquals(frozenBefore.get(0), m.layers().get(0).parameters().get(0).value(), 0f);
        TrainingState last = states.get(states.size() - 1);
        assertEquals(m.trainableParameters().size(), last.optimizer().slots().get("m").length);
        assertEquals(4, m.parameters().size() - last.optimizer().slots().get("m").length);
        for (TrainingState st : states) {
            Sequential resumed = net(5).frozen(true, 0, 4);
            checkpointable(resumed).build().fit(TRAIN, st);
            for (int i = 0; i < m.parameters().size(); i++) {
                assertArrayEquals(m.parameters().get(i).value(), resumed.parameters().get(i).value(), 0f,
                        "resumed from " + st + ", parameter " + i);
            }
        }
        // resuming without the same freezing is refused: the optimizer state does not fit
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> checkpointable(net(5)).build().fit(TRAIN, states.get(0)));
        assertTrue(e.getMessage().contains("optimizer slot"), e.getMessage());
    }

    @Test
    void aFrozenBlockFreezesEveryNestedParameter() {
        Sequential m = Sequential.of(new Block(new Conv(3, 3, 2).padding(1), new ReLU(), new MaxPool(2)), new Flatten(), new Dense(3),
                new Softmax()).input(IMAGE).seed(2).build().frozen(true, 0);
        List<float[]> before = copy(m.layers().get(0).parameters());
        assertEquals(2, before.size());
        builder(m).build().fit(TRAIN);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), m.layers().get(0).parameters().get(i).value(), 0f);
        }
        assertTrue(m.summary().contains("(frozen)"), m.summary());
        m.frozen(false, 0);
        builder(m).build().fit(TRAIN);
        assertFalse(java.util.Arrays.equals(before.get(0), m.layers().get(0).parameters().get(0).value()), "unfrozen, it trains");
    }

    @Test
    void replacingTheHeadKeepsTheFeaturesAndTrainingContinues() {
        Sequential pretrained = net(5);
        builder(pretrained).build().fit(TRAIN);
        Sequential tuned = pretrained.replaceLast(2, new Dense(4), new Softmax()).frozen(true, 0, 4);
        assertEquals(Shape.of(4), tuned.outputShape());
        assertEquals(pretrained.layers().size(), tuned.layers().size());
        for (int i : new int[] {0, 4}) {
            List<Parameter> a = pretrained.layers().get(i).parameters();
            List<Parameter> b = tuned.layers().get(i).parameters();
            for (int k = 0; k < a.size(); k++) {
                assertNotSame(a.get(k), b.get(k), "the new model owns its parameters");
                assertArrayEquals(a.get(k).value(), b.get(k).value(), 0f, "kept layer " + i);
            }
        }
        List<float[]> features = copy(tuned.layers().get(0).parameters());
        Dataset fourClasses = TestData.random(90, IMAGE, 4, 9);
        builder(tuned).build().fit(fourClasses);
        assertArrayEquals(features.get(0), tuned.layers().get(0).parameters().get(0).value(), 0f);
        assertTrue(tuned.copy().parameters().get(0).frozen(), "copies keep the freezing");
        assertThrows(IllegalArgumentException.class, () -> pretrained.replaceLast(2, new Softmax(), new Dense(3)));
        assertThrows(IllegalArgumentException.class, () -> pretrained.frozen(true, 8));
    }
}
