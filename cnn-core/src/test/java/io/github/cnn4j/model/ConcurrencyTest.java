package io.github.cnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.optim.Momentum;
import io.github.cnn4j.testing.TestData;
import io.github.cnn4j.train.BlockStats;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What the documentation promises about threads: one model predicts on many threads at once with the
 * same answers as on one, and training alongside readers of its snapshots corrupts neither.
 */
class ConcurrencyTest {
    private static final Dataset DATA = TestData.bars(300, 12, 0.3, 77);

    private static Sequential net() {
        return Sequential.of(new Conv(3, 3, 4).padding(1), new ReLU(), new MaxPool(2), new Flatten(), new Dense(12), new Sigmoid(),
                new Dense(2), new Softmax()).input(1, 12, 12).seed(8).build();
    }

    private static float[][] weights(Sequential m) {
        float[][] w = new float[m.parameters().size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = m.parameters().get(i).value().clone();
        }
        return w;
    }

    private static float[] predictAll(Sequential m) {
        int k = m.outputShape().size();
        float[] out = new float[DATA.size() * k];
        for (int i = 0; i < DATA.size(); i++) {
            System.arraycopy(m.predict(DATA.image(i)), 0, out, i * k, k);
        }
        return out;
    }

    @Test
    void manyThreadsPredictingWithOneModelGetTheSingleThreadedAnswers() throws Exception {
        Sequential model = net();
        Trainer.builder(model).optimizer(new Momentum(0.05, 0.9)).batchSize(8).build().fit(DATA);
        float[] expected = predictAll(model);
        float[] expectedBatch = model.predict(DATA, 1);
        assertArrayEquals(expected, expectedBatch, 1e-6f);
        int threads = 8;
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<float[]>> single = new ArrayList<>();
            List<Future<float[]>> batch = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                single.add(ex.submit(() -> {
                    go.await();
                    float[] r = null;
                    for (int rep = 0; rep < 3; rep++) {
                        r = predictAll(model);
                    }
                    return r;
                }));
                batch.add(ex.submit(() -> {
                    go.await();
                    return model.predict(DATA, 2);
                }));
            }
            go.countDown();
            for (int t = 0; t < threads; t++) {
                assertArrayEquals(expected, single.get(t).get(), 0f, "thread " + t + ", predict(float[])");
                assertArrayEquals(expectedBatch, batch.get(t).get(), 0f, "thread " + t + ", predict(Dataset, 2)");
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void trainingWhileOtherThreadsPredictOnSnapshotsCorruptsNeither() throws Exception {
        Sequential reference = net();
        Trainer.builder(reference).optimizer(new Momentum(0.05, 0.9)).epochs(2).blockSize(30).build().fit(DATA);

        Sequential model = net();
        AtomicReference<Sequential> latest = new AtomicReference<>(model.copy());
        List<Sequential> snapshots = new ArrayList<>();
        snapshots.add(latest.get());
        TrainingListener publisher = new TrainingListener() {
            @Override
            public void onBlock(BlockStats block) {
                Sequential s = model.copy(); // on the training thread, between steps: a consistent snapshot
                snapshots.add(s);
                latest.set(s);
            }
        };
        record Seen(Sequential snapshot, float[] outputs) {
        }
        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService ex = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Callable<Integer> reader = () -> {
                    int rounds = 0;
                    do {
                        Sequential s = latest.get();
                        seen.add(new Seen(s, rounds % 2 == 0 ? predictAll(s) : s.predict(DATA, 1)));
                        rounds++;
                    } while (!done.get());
                    return rounds;
                };
                readers.add(ex.submit(reader));
            }
            Trainer.builder(model).optimizer(new Momentum(0.05, 0.9)).epochs(2).blockSize(30).listener(publisher).build().fit(DATA);
            done.set(true);
            int rounds = 0;
            for (Future<Integer> f : readers) {
                rounds += f.get();
            }
            assertTrue(rounds >= 3, "readers ran: " + rounds);
        } finally {
            ex.shutdownNow();
        }
        // training was not disturbed by the readers
        float[][] a = weights(reference);
        float[][] b = weights(model);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0f, "parameter " + i);
        }
        assertEquals(1 + 2 * DATA.size() / 30, snapshots.size());
        // and every reader saw exactly what one thread computes on that snapshot afterwards
        for (Seen s : seen) {
            float[] again = predictAll(s.snapshot());
            assertArrayEquals(again, s.outputs(), 1e-6f);
        }
    }
}
