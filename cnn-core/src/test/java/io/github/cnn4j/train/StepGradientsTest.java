package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Gradients;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trainer with its gradient sums computed by a {@link StepGradients} source — here the distributed
 * recipe on one machine (each chunk on its own model copy, from the epoch's order, folded in chunk
 * order) — ends with the weights of the plain trainer, and the source sees start and end.
 */
class StepGradientsTest {
    private static Sequential net() {
        return Sequential.of(new Conv(3, 3, 3).padding(1), new ReLU(), new MaxPool(2), new Flatten(), new Dense(6), new ReLU(),
                new Dropout(0.25), new Dense(2), new Softmax()).input(1, 12, 12).seed(7).build();
    }

    /** Every chunk on a fresh copy of the model with the current parameters, as an executor would. */
    private static class ChunkByChunk implements StepGradients {
        final List<String> events = new ArrayList<>();
        Sequential model;
        long seed;
        Augmentation augmentation;
        Dataset train;

        @Override
        public void start(Sequential model, Loss loss, long seed, Augmentation augmentation, Dataset train, int batchSize) {
            events.add("start " + batchSize);
            this.model = model;
            this.seed = seed;
            this.augmentation = augmentation;
            this.train = train;
        }

        @Override
        public double gradients(int epoch, int[] order, int from, int count, Gradients sums) {
            double loss = 0;
            for (int start = from; start < from + count; start += GradientStep.CHUNK) {
                int m = Math.min(GradientStep.CHUNK, from + count - start);
                int[] mine = java.util.Arrays.copyOfRange(order, start, start + m);
                Sequential executor = model.copy();
                Gradients chunk = Gradients.allocate(executor.parameters());
                try (GradientStep step = new GradientStep(executor, new CrossEntropy(), seed, augmentation, 1, GradientStep.CHUNK)) {
                    loss += step.gradients(train.select(mine), 0, m, epoch, start, chunk);
                }
                chunk.addTo(sums);
            }
            return loss;
        }

        @Override
        public void end() {
            events.add("end");
        }
    }

    @Test
    void aSourceComputingChunkByChunkGivesTheTrainersWeights() {
        Dataset data = TestData.bars(150, 12, 0.3, 4);
        RandomAffine aug = new RandomAffine(1, 8);
        Sequential local = net();
        TrainingResult expected = Trainer.builder(local).optimizer(new Adam(0.01)).batchSize(40).epochs(2).seed(3)
                .augmentation(aug).build().fit(data);
        Sequential remote = net();
        ChunkByChunk source = new ChunkByChunk();
        TrainingResult actual = Trainer.builder(remote).optimizer(new Adam(0.01)).batchSize(40).epochs(2).seed(3)
                .augmentation(aug).stepGradients(source).build().fit(data);
        for (int i = 0; i < local.parameters().size(); i++) {
            assertArrayEquals(local.parameters().get(i).value(), remote.parameters().get(i).value(), "parameter " + i);
        }
        assertEquals(expected.epochs().get(1).trainLoss(), actual.epochs().get(1).trainLoss());
        assertEquals(List.of("start 40", "end"), source.events);
        assertSame(remote, source.model);
    }

    @Test
    void theSourceIsEndedWhenTrainingFails() {
        ChunkByChunk source = new ChunkByChunk() {
            @Override
            public double gradients(int epoch, int[] order, int from, int count, Gradients sums) {
                throw new IllegalStateException("cluster gone");
            }
        };
        Trainer t = Trainer.builder(net()).batchSize(40).stepGradients(source).build();
        assertThrows(IllegalStateException.class, () -> t.fit(TestData.bars(80, 12, 0.3, 4)));
        assertEquals(List.of("start 40", "end"), source.events);
    }
}
