package io.github.cnn4j.spark;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.kernel.Vectorization;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.train.GradientStep;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * One step on one partition: the gradient sums of the global batch's chunks that the partition holds.
 * A pure function of the broadcast parameters, the cached samples and the step's numbers, so a retried
 * or speculative task returns the same bits.
 */
final class StepTask implements FlatMapFunction<Iterator<SampleBlock>, ChunkSums> {
    private static final long serialVersionUID = 1L;

    private final String run;
    private final Broadcast<byte[]> model;
    private final Broadcast<float[][]> parameters;
    private final long version;
    private final SerializableSupplier<Loss> loss;
    private final SerializableSupplier<Augmentation> augmentation;
    private final long seed;
    private final int epoch;
    private final int from;
    private final int count;
    private final boolean exact;
    private final boolean vector;

    StepTask(String run, Broadcast<byte[]> model, Broadcast<float[][]> parameters, long version, SerializableSupplier<Loss> loss,
             SerializableSupplier<Augmentation> augmentation, long seed, int epoch, int from, int count, boolean exact) {
        this.run = run;
        this.model = model;
        this.parameters = parameters;
        this.version = version;
        this.loss = loss;
        this.augmentation = augmentation;
        this.seed = seed;
        this.epoch = epoch;
        this.from = from;
        this.count = count;
        this.exact = exact;
        this.vector = Vectorization.enabled();
    }

    @Override
    public Iterator<ChunkSums> call(Iterator<SampleBlock> blocks) {
        List<ChunkSums> out = new ArrayList<>();
        while (blocks.hasNext()) {
            compute(blocks.next(), out);
        }
        return out.iterator();
    }

    private void compute(SampleBlock block, List<ChunkSums> out) {
        int lo = block.lowerBound(from);
        int hi = block.lowerBound(from + count);
        if (lo == hi) {
            return;
        }
        if (Vectorization.enabled() != vector) {
            // the two kernel sets round differently: the sums would not be the driver's
            throw new IllegalStateException("this executor runs the " + (Vectorization.enabled() ? "Vector API" : "scalar")
                    + " kernels, the driver the " + (vector ? "Vector API" : "scalar") + " ones, which round differently: start every "
                    + "JVM with --add-modules jdk.incubator.vector (spark.driver/executor.extraJavaOptions) or with -Dcnn4j.vector=false ("
                    + Vectorization.describe() + ")");
        }
        ExecutorModels.Worker w = ExecutorModels.borrow(run, model.value(), loss, augmentation, seed);
        try {
            w.parameters(version, parameters.value());
            int partition = org.apache.spark.TaskContext.getPartitionId();
            float[][] acc = null;
            double lossSum = 0;
            long nanos = 0;
            int first = -1;
            int i = lo;
            while (i < hi) {
                int q = block.keys[i];
                int c = (q - from) / GradientStep.CHUNK;
                int start = from + c * GradientStep.CHUNK;
                int m = Math.min(GradientStep.CHUNK, from + count - start);
                if (q != start || i + m > hi || block.keys[i + m - 1] != start + m - 1) {
                    throw new IllegalStateException("partition does not hold chunk " + c + " of the step at position " + from
                            + " whole (positions " + start + ".." + (start + m - 1) + ")");
                }
                long t0 = System.nanoTime();
                w.buffer.zero();
                double l = w.step.gradients(block.dataset(), i, m, epoch, start, w.buffer);
                long t = System.nanoTime() - t0;
                if (exact) {
                    out.add(new ChunkSums(c, c, copy(w.buffer), l, partition, t));
                } else {
                    if (acc == null) {
                        acc = zeros(w.buffer);
                        first = c;
                    }
                    add(w.buffer, acc);
                    lossSum += l;
                    nanos += t;
                    if (i + m == hi) {
                        out.add(new ChunkSums(first, c, acc, lossSum, partition, nanos));
                    }
                }
                i += m;
            }
        } finally {
            ExecutorModels.giveBack(run, w);
        }
    }

    private static float[][] copy(io.github.cnn4j.layer.Gradients g) {
        float[][] a = new float[g.parameters().size()][];
        for (int p = 0; p < a.length; p++) {
            a[p] = g.array(p).clone();
        }
        return a;
    }

    private static float[][] zeros(io.github.cnn4j.layer.Gradients g) {
        float[][] a = new float[g.parameters().size()][];
        for (int p = 0; p < a.length; p++) {
            a[p] = new float[g.array(p).length];
        }
        return a;
    }

    private static void add(io.github.cnn4j.layer.Gradients g, float[][] acc) {
        for (int p = 0; p < acc.length; p++) {
            float[] src = g.array(p);
            float[] dst = acc[p];
            for (int k = 0; k < src.length; k++) {
                dst[k] += src[k];
            }
        }
    }
}
