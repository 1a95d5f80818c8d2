package io.github.cnn4j.spark;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.tensor.Shape;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * {@link RandomAffine} that makes every {@code period}-th first attempt of a Spark task fail, after
 * it has already transformed part of the batch: Spark then retries the task, which must give the
 * same bits. Outside a task (the local trainer) it never fails.
 */
final class FlakyAffine implements Augmentation {
    static final AtomicInteger CALLS = new AtomicInteger();
    static final AtomicInteger FAILURES = new AtomicInteger();

    private final RandomAffine affine = new RandomAffine(2, 10);
    private final int period;

    FlakyAffine(int period) {
        this.period = period;
    }

    @Override
    public void apply(float[] batch, int n, Shape shape, long[] sampleSeeds) {
        affine.apply(batch, n, shape, sampleSeeds);
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0 && CALLS.incrementAndGet() % period == 0) {
            FAILURES.incrementAndGet();
            throw new IllegalStateException("injected task failure (test)");
        }
    }
}
