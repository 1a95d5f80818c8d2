package io.github.cnn4j.spark;

import io.github.cnn4j.train.GradientStep;
import org.apache.spark.Partitioner;

/**
 * Places the sample at position {@code q} of an epoch's order: its step is {@code q / batch}, its
 * chunk in the step {@code (q - step start) / CHUNK}, and the step's {@code k} chunks go to the
 * partitions in contiguous runs (chunk {@code c} to partition {@code c * partitions / k}). Every
 * chunk lies whole in one partition, so each chunk is computed exactly as the single-machine trainer
 * computes it.
 */
final class StepPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final int samples;
    private final int batch;
    private final int partitions;

    StepPartitioner(int samples, int batch, int partitions) {
        this.samples = samples;
        this.batch = batch;
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        int q = (Integer) key;
        return partitionOf(q);
    }

    int partitionOf(int q) {
        int start = q / batch * batch;
        int chunks = chunks(Math.min(batch, samples - start));
        int c = (q - start) / GradientStep.CHUNK;
        return (int) ((long) c * partitions / chunks);
    }

    static int chunks(int count) {
        return (count + GradientStep.CHUNK - 1) / GradientStep.CHUNK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepPartitioner p && p.samples == samples && p.batch == batch && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return (samples * 31 + batch) * 31 + partitions;
    }
}
