package io.github.cnn4j.spark;

import java.io.Serializable;

/**
 * What a task returns for one step: the gradient sums of chunks {@code first .. last} of the global
 * batch (one chunk in the exact reduction, the task's run of chunks added in order in the partial one)
 * and the sum of their losses.
 */
final class ChunkSums implements Serializable {
    private static final long serialVersionUID = 1L;

    final int first;
    final int last;
    final float[][] sums;
    final double loss;

    ChunkSums(int first, int last, float[][] sums, double loss) {
        this.first = first;
        this.last = last;
        this.sums = sums;
        this.loss = loss;
    }
}
