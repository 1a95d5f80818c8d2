package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.GlobalAvgPool;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A small residual network (nested blocks, batch norm inside them, a projection shortcut, global
 * average pooling, dropout) trains the same on any number of threads, resumes bit for bit from every
 * checkpoint, recomputes its nested batch-norm statistics, and shows its nesting in the summary.
 */
class CompositeTrainingTest {
    private static final Shape IMAGE = Shape.of(1, 8, 8);
    private static final Dataset TRAIN = TestData.random(96, IMAGE, 3, 1);
    private static final Dataset TEST = TestData.random(32, IMAGE, 3, 2);

    static Sequential resnet(long seed) {
        return Sequential.of(new Conv(3, 3, 4).padding(1), new BatchNorm(), new ReLU(),
                        new Residual(new Block(new Conv(3, 3, 4).padding(1), new BatchNorm(), new ReLU(),
                                new Conv(3, 3, 4).padding(1), new BatchNorm())), new ReLU(),
                        new Residual(new Block(new Conv(3, 3, 6).padding(1).stride(2), new BatchNorm(), new ReLU(),
                                new Conv(3, 3, 6).padding(1), new BatchNorm())), new ReLU(),
                        new GlobalAvgPool(), new Dropout(0.2), new Dense(3), new Softmax())
                .input(IMAGE).seed(seed).init(io.github.cnn4j.init.InitPreset.MODERN).build();
    }

    private static Trainer.Builder builder(Sequential m, int threads) {
        return Trainer.builder(m).optimizer(new Adam(0.01)).batchSize(40).threads(threads).shuffle(ShuffleMode.FULL).seed(7)
                .epochs(2).testSet(TEST);
    }

    private static List<float[]> values(Sequential m) {
        List<float[]> v = new ArrayList<>();
        m.parameters().forEach(p -> v.add(p.value().clone()));
        m.state().forEach(p -> v.add(p.value().clone()));
        return v;
    }

    private static void assertSame(List<float[]> a, List<float[]> b, String where) {
        assertEquals(a.size(), b.size(), where);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0f, where + ", array " + i);
        }
    }

    @Test
    void parametersAreEnumeratedDepthFirstInAStableOrder() {
        Sequential m = resnet(1);
        // 3 + 4 + 4 (+ 2 projection) + 2 + 2 (dense): conv w/b, bn g/b, then the blocks' own, then dense w/b
        List<String> names = m.parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("weight", "bias", "gamma", "beta",
                "weight", "bias", "gamma", "beta", "weight", "bias", "gamma", "beta",
                "weight", "bias", "gamma", "beta", "weight", "bias", "gamma", "beta", "weight", "bias",
                "weight", "bias"), names);
        Residual second = (Residual) m.layers().get(5);
        assertEquals(Shape.of(6, 4, 1, 1), second.shortcut().parameters().get(0).shape(), "a 1x1 projection to 6 channels");
        assertEquals(Shape.of(6, 4, 4), m.shapes().get(6));
        assertEquals(Shape.of(3), m.outputShape());
        assertSame(values(m), values(m.copy()), "a copy");
        assertSame(values(m), values(resnet(1)), "the same seed");
    }

    @Test
    void threeThreadsTrainBitIdenticallyToOneAndNestedStatisticsAreRecomputed() {
        Sequential one = resnet(3);
        TrainingResult r1 = builder(one, 1).build().fit(TRAIN);
        Sequential three = resnet(3);
        TrainingResult r3 = builder(three, 3).build().fit(TRAIN);
        assertSame(values(one), values(three), "1 vs 3 threads");
        assertEquals(r1.epochs().get(1).testLoss(), r3.epochs().get(1).testLoss(), 0);
        List<BatchNorm> nested = new ArrayList<>();
        for (Layer l : one.layers()) {
            if (l instanceof Residual res) {
                for (Layer c : ((Block) res.block()).layers()) {
                    if (c instanceof BatchNorm bn) {
                        nested.add(bn);
                    }
                }
            }
        }
        assertEquals(4, nested.size());
        for (BatchNorm bn : nested) {
            boolean moved = false;
            for (float v : bn.runningVar().value()) {
                moved |= v != 1f;
            }
            assertTrue(moved, "the running variance of a nested batch norm was recomputed");
        }
    }

    @Test
    void resumingFromEveryCheckpointEndsBitIdentical() {
        Sequential ref = resnet(5);
        List<TrainingState> states = new ArrayList<>();
        builder(ref, 2).checkpoints(states::add).checkpointEvery(40).build().fit(TRAIN);
        assertTrue(states.size() >= 4, states.size() + " snapshots");
        for (TrainingState st : states) {
            Sequential m = resnet(99);
            builder(m, 2).build().fit(TRAIN, st);
            assertSame(values(ref), values(m), "resumed from " + st);
        }
    }

    @Test
    void summaryShowsTheNesting() {
        String s = resnet(1).summary();
        assertTrue(s.contains("\n3      Residual "), s);
        assertTrue(s.contains("\n3.0      Block "), s);
        assertTrue(s.contains("\n3.0.0      Conv(3x3, 4 filters, padding 1) "), s);
        assertTrue(s.contains("\n5.1      Conv(1x1, 6 filters, stride 2) "), s);
        assertFalse(s.contains("Residual(Block["), "composites are shown as a tree, not as one long name:\n" + s);
    }
}
