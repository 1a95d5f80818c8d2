package io.github.cnn4j.spark;

import java.io.Serializable;

/**
 * What a task returns for one step: the gradient sums of chunks {@code first .. last} of the global
 * batch (one chunk in the exact reduction, the task's run of chunks added in order in the partial one)
 * and the sum of their losses; for the step's timing, the partition and the time spent in
 * {@link io.github.cnn4j.train.GradientStep#gradients}.
 */
final class ChunkSums implements Serializable {
    private static final long serialVersionUID = 1L;

    final int first;
    final int last;
    final float[][] sums;
    final double loss;
    final int partition;
    final long nanos;

    ChunkSums(int first, int last, float[][] sums, double loss, int partition, long nanos) {
        this.first = first;
        this.last = last;
        this.sums = sums;
        this.loss = loss;
        this.partition = partition;
        this.nanos = nanos;
    }
}
