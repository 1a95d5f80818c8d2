package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.optim.Momentum;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint snapshots and exact resume: continuing from any snapshot of a run gives bit-identical
 * weights, results and listener events to the run that never stopped.
 */
class ResumeTest {
    private static final Shape IMAGE = Shape.of(1, 8, 8);
    private static final Dataset TRAIN = TestData.random(90, IMAGE, 3, 1);
    private static final Dataset TEST = TestData.random(40, IMAGE, 3, 2);

    private static Sequential net(long seed) {
        return Sequential.of(new Conv(3, 3, 3).padding(1), new ReLU(), new MaxPool(2),
                        new Flatten(), new Dense(8), new Sigmoid(), new Dense(3), new Softmax())
                .input(IMAGE).seed(seed).build();
    }

    record Setup(String name, Supplier<Optimizer> optimizer, int batch, int threads, ShuffleMode shuffle, boolean withTest) {
    }

    /** Records every event except timings, restoring the history on resume like a log writer does. */
    static final class Events implements TrainingListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onResume(TrainingState state) {
            state.history().forEach(this::onEpoch);
            state.blockHistory().forEach(this::onBlock);
        }

        @Override
        public void onBlock(BlockStats block) {
            events.add(block.toString());
        }

        @Override
        public void onEpoch(EpochStats e) {
            events.add(new EpochStats(e.epoch(), e.trainLoss(), e.testLoss(), e.testAccuracy(), 0, e.best()).toString());
        }

        List<String> sorted() {
            // blocks and epochs interleave differently when restored; their order within each kind is what counts
            List<String> s = new ArrayList<>(events);
            s.sort(null);
            return s;
        }
    }

    private static Trainer.Builder builder(Sequential m, Setup s, int epochs) {
        Trainer.Builder b = Trainer.builder(m).optimizer(s.optimizer().get()).batchSize(s.batch()).threads(s.threads())
                .shuffle(s.shuffle()).seed(77).epochs(epochs).blockSize(25);
        if (s.withTest()) {
            b.testSet(TEST).keepBest(true);
        }
        return b;
    }

    private static float[][] weights(Sequential m) {
        float[][] w = new float[m.parameters().size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = m.parameters().get(i).value().clone();
        }
        return w;
    }

    private static List<String> results(TrainingResult r) {
        List<String> out = new ArrayList<>();
        for (EpochStats e : r.epochs()) {
            out.add(new EpochStats(e.epoch(), e.trainLoss(), e.testLoss(), e.testAccuracy(), 0, e.best()).toString());
        }
        out.add("best " + r.bestEpoch() + " " + r.bestAccuracy());
        return out;
    }

    @Test
    void resumingFromEverySnapshotEndsBitIdentical() {
        List<Setup> setups = List.of(
                new Setup("per-sample SGD, full shuffle, keep best", () -> new Sgd(0.1), 1, 1, ShuffleMode.FULL, true),
                new Setup("momentum, chunked batches of 40 on 2 threads, paper shuffle", () -> new Momentum(0.05, 0.9), 40, 2,
                        ShuffleMode.PAPER, false),
                new Setup("adam, batches of 7, paper shuffle, keep best", () -> new Adam(0.01), 7, 1, ShuffleMode.PAPER, true));
        for (Setup s : setups) {
            Sequential ref = net(5);
            Events refEvents = new Events();
            List<TrainingState> states = new ArrayList<>();
            TrainingResult refResult = builder(ref, s, 3).listener(refEvents).checkpoints(states::add).checkpointEvery(20)
                    .build().fit(TRAIN);
            float[][] expected = weights(ref);
            assertTrue(states.size() >= 9, s.name() + ": " + states.size() + " snapshots");
            assertEquals(3, states.stream().filter(TrainingState::epochFinished).count(), s.name());
            for (TrainingState st : states) {
                Sequential m = net(99); // other initial weights: the snapshot must overwrite them all
                Events ev = new Events();
                TrainingResult r = builder(m, s, 3).listener(ev).build().fit(TRAIN, st);
                String where = s.name() + ", resumed from " + st;
                float[][] got = weights(m);
                for (int i = 0; i < got.length; i++) {
                    assertArrayEquals(expected[i], got[i], 0f, where + ", parameter " + i);
                }
                assertEquals(results(refResult), results(r), where);
                assertEquals(refEvents.sorted(), ev.sorted(), where);
            }
        }
    }

    @Test
    void snapshotsTakenAfterAResumeEqualTheOriginalOnes() {
        Setup s = new Setup("sgd", () -> new Sgd(0.1), 4, 1, ShuffleMode.PAPER, true);
        List<TrainingState> a = new ArrayList<>();
        builder(net(5), s, 2).checkpoints(a::add).checkpointEvery(24).build().fit(TRAIN);
        List<TrainingState> b = new ArrayList<>();
        builder(net(5), s, 2).checkpoints(b::add).checkpointEvery(24).build().fit(TRAIN, a.get(1));
        // b continues after a.get(1): its snapshots are a's from index 2 on
        assertEquals(a.size() - 2, b.size());
        for (int i = 0; i < b.size(); i++) {
            TrainingState x = a.get(i + 2);
            TrainingState y = b.get(i);
            assertEquals(x.epoch(), y.epoch());
            assertEquals(x.position(), y.position());
            assertEquals(x.rngState(), y.rngState());
            assertArrayEquals(x.order(), y.order());
            assertEquals(x.epochLoss(), y.epochLoss(), 0);
            assertEquals(x.blockHistory(), y.blockHistory());
            for (int k = 0; k < x.parameters().length; k++) {
                assertArrayEquals(x.parameters()[k], y.parameters()[k], 0f);
            }
        }
    }

    @Test
    void aResumedRunMayPlanMoreEpochs() {
        Setup s = new Setup("momentum", () -> new Momentum(0.05, 0.9), 1, 1, ShuffleMode.FULL, true);
        Sequential longRun = net(5);
        builder(longRun, s, 3).build().fit(TRAIN);
        List<TrainingState> states = new ArrayList<>();
        builder(net(5), s, 2).checkpoints(states::add).build().fit(TRAIN);
        TrainingState end = states.get(states.size() - 1);
        assertEquals(2, end.epoch());
        assertTrue(end.epochFinished());
        Sequential extended = net(5);
        TrainingResult r = builder(extended, s, 3).build().fit(TRAIN, end);
        assertEquals(3, r.epochs().size());
        float[][] a = weights(longRun);
        float[][] b = weights(extended);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0f);
        }
        // resuming a finished run trains nothing and reports the same result
        Sequential again = net(5);
        TrainingResult same = builder(again, s, 2).build().fit(TRAIN, end);
        assertEquals(2, same.epochs().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder(net(5), s, 1).build().fit(TRAIN, end));
        assertTrue(e.getMessage().contains("at epoch 2, this trainer runs 1 epoch(s)"), e.getMessage());
    }

    @Test
    void resumingWithOtherSettingsOrDataIsRefused() {
        Setup s = new Setup("sgd", () -> new Sgd(0.1), 1, 1, ShuffleMode.FULL, true);
        List<TrainingState> states = new ArrayList<>();
        builder(net(5), s, 1).checkpoints(states::add).checkpointEvery(30).build().fit(TRAIN);
        TrainingState st = states.get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder(net(5), s, 1).batchSize(2).build().fit(TRAIN, st));
        assertTrue(e.getMessage().contains("batch size 1 (checkpoint) vs 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> builder(net(5), s, 1).shuffle(ShuffleMode.NONE).seed(3).build().fit(TRAIN, st));
        assertTrue(e.getMessage().contains("shuffling seed 77 (checkpoint) vs 3") && e.getMessage().contains("shuffle mode FULL"), e.getMessage());
        Dataset other = TestData.random(90, IMAGE, 3, 12345);
        e = assertThrows(IllegalArgumentException.class, () -> builder(net(5), s, 1).build().fit(other, st));
        assertTrue(e.getMessage().contains("data fingerprint"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> builder(net(5), s, 1).optimizer(new Adam(0.1)).build().fit(TRAIN, st));
        assertTrue(e.getMessage().contains("'sgd' optimizer, this is 'adam'"), e.getMessage());
        Sequential smaller = Sequential.of(new Flatten(), new Dense(3), new Softmax()).input(IMAGE).build();
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(smaller).seed(77).testSet(TEST).keepBest(true).blockSize(25).build().fit(TRAIN, st));
        assertTrue(e.getMessage().contains("the checkpoint has 6 parameters, the model 2"), e.getMessage());
    }

    @Test
    void inconsistentStatesAreRejected() {
        Setup s = new Setup("sgd", () -> new Sgd(0.1), 1, 1, ShuffleMode.FULL, false);
        List<TrainingState> states = new ArrayList<>();
        builder(net(5), s, 2).checkpoints(states::add).checkpointEvery(30).build().fit(TRAIN);
        TrainingState t = states.get(4); // epoch 2, mid-epoch
        assertEquals(2, t.epoch());
        int[] badOrder = t.order().clone();
        badOrder[3] = badOrder[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingState(t.settings(), t.epoch(),
                t.position(), t.rngState(), badOrder, t.epochLoss(), t.epochNanos(), t.samplesSeen(), t.blockLoss(), t.blockCount(),
                t.trainNanos(), t.parameters(), t.optimizer(), t.history(), t.blockHistory(), t.bestEpoch(), t.bestAccuracy(), t.best()));
        assertTrue(e.getMessage().contains("not a permutation"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainingState(t.settings(), t.epoch(),
                t.position() + 1, t.rngState(), t.order(), t.epochLoss(), t.epochNanos(), t.samplesSeen() + 1, t.blockLoss(), t.blockCount(),
                t.trainNanos(), t.parameters(), t.optimizer(), t.history(), t.blockHistory(), t.bestEpoch(), t.bestAccuracy(), t.best()));
        assertTrue(e.getMessage().contains("blocks cover"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainingState(t.settings(), t.epoch(),
                t.position(), t.rngState(), t.order(), t.epochLoss(), t.epochNanos(), t.samplesSeen(), t.blockLoss(), t.blockCount(),
                t.trainNanos(), t.parameters(), t.optimizer(), List.of(), t.blockHistory(), t.bestEpoch(), t.bestAccuracy(), t.best()));
        assertTrue(e.getMessage().contains("the history has 0 epochs, expected 1"), e.getMessage());
        float[][] nan = t.parameters().clone();
        nan[1] = nan[1].clone();
        nan[1][0] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> new TrainingState(t.settings(), t.epoch(),
                t.position(), t.rngState(), t.order(), t.epochLoss(), t.epochNanos(), t.samplesSeen(), t.blockLoss(), t.blockCount(),
                t.trainNanos(), nan, t.optimizer(), t.history(), t.blockHistory(), t.bestEpoch(), t.bestAccuracy(), t.best()));
        assertTrue(e.getMessage().contains("parameters array 1 value 0 is NaN"), e.getMessage());
    }

    @Test
    void aFailingSinkStopsTrainingNamingWhereAndWhy() {
        Setup s = new Setup("sgd", () -> new Sgd(0.1), 1, 1, ShuffleMode.FULL, false);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> builder(net(5), s, 1)
                .checkpoints(st -> {
                    throw new IOException("/ckpt/run.ckpt: No space left on device");
                }).checkpointEvery(40).build().fit(TRAIN));
        assertTrue(e.getMessage().contains("cannot write the checkpoint at epoch 1, sample 40 of 90: /ckpt/run.ckpt: No space left on device"),
                e.getMessage());
    }

    @Test
    void checkpointsByTimeAndBySamples() {
        Setup s = new Setup("sgd", () -> new Sgd(0.1), 1, 1, ShuffleMode.FULL, false);
        List<TrainingState> byEpoch = new ArrayList<>();
        builder(net(5), s, 2).checkpoints(byEpoch::add).build().fit(TRAIN);
        assertEquals(2, byEpoch.size(), "by default once per epoch (and every 5 minutes)");
        List<TrainingState> byTime = new ArrayList<>();
        builder(net(5), s, 1).checkpoints(byTime::add).checkpointInterval(Duration.ofNanos(1)).build().fit(TRAIN);
        assertEquals(90, byTime.size(), "after every step but the epoch's last, then at its end");
        List<TrainingState> bySamples = new ArrayList<>();
        builder(net(5), s, 1).checkpoints(bySamples::add).checkpointEvery(40).checkpointInterval(Duration.ZERO).build().fit(TRAIN);
        assertEquals(List.of(40, 80, 90), bySamples.stream().map(TrainingState::position).toList());
    }
}
