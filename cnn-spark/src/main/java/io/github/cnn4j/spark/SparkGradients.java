package io.github.cnn4j.spark;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Gradients;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.train.GradientStep;
import io.github.cnn4j.train.StepGradients;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Synchronous data-parallel training on Spark: the {@link io.github.cnn4j.train.Trainer}'s gradient
 * sums computed by the executors.
 *
 * <pre>{@code
 * SparkGradients cluster = SparkGradients.builder(jsc).partitions(8).build();
 * Trainer.builder(model).optimizer(new Adam(0.001)).batchSize(256).epochs(5)
 *     .stepGradients(cluster)                       // everything else as on one machine
 *     .checkpoints(CheckpointFormat.sink(file, model, Map.of()))
 *     .build().fit(train);
 * }</pre>
 *
 * <h2>How a step runs</h2>
 * The training set is cut into partitions once per run. At the start of every epoch one Spark shuffle
 * moves each sample to the partition that owns its position in the epoch's order ({@link StepPartitioner}:
 * the {@value GradientStep#CHUNK}-sample chunks of every step go to the partitions in contiguous runs),
 * and the result is cached. Every step is then one Spark job: the driver broadcasts the parameters,
 * each task computes the chunks of the global batch it holds with {@link GradientStep#gradients}
 * (seeded by global position) on an executor-local copy of the model, and the driver adds the
 * results in chunk order into the trainer's buffer; the trainer applies the optimizer.
 *
 * <h2>Reductions</h2>
 * {@linkplain Builder#exact(boolean) Exact} (default): every chunk's sums travel to the driver
 * ({@code ceil(B/16)} buffers of the parameters' size per step), which adds them exactly as the local
 * trainer does: the weights equal the single-machine run's bit for bit, on any number of partitions
 * and executors. Partial ({@code exact(false)}): each task adds its own chunks first and sends one
 * buffer ({@code partitions} buffers per step); the driver adds those in partition order. The
 * rounding of the sums then depends on the number of partitions (not on executors or retries), so
 * the weights agree with the local run within float rounding.
 *
 * <h2>Faults</h2>
 * Tasks are deterministic functions of the broadcast parameters and the cached samples: a retried or
 * speculative task, or a partition recomputed after an executor was lost, gives the same bits.
 * The driver keeps the training set (to rebuild lost partitions, to evaluate and to diagnose a
 * divergence); checkpoints and resume are the trainer's own, and a checkpoint of a Spark run may be
 * resumed with another number of partitions, or on one machine.
 *
 * <p>An instance serves one {@code fit} at a time.
 */
public final class SparkGradients implements StepGradients {
    private static final Logger LOG = LoggerFactory.getLogger(SparkGradients.class);

    private final JavaSparkContext jsc;
    private final int partitions;
    private final SerializableSupplier<Loss> lossFactory;
    private final SerializableSupplier<Augmentation> augmentationFactory;
    private final boolean exact;

    private String run;
    private Sequential model;
    private long seed;
    private int batchSize;
    private int samples;
    private int classes;
    private Broadcast<byte[]> modelBroadcast;
    private JavaRDD<SampleBlock> base;
    private JavaRDD<SampleBlock> epochBlocks;
    private Broadcast<int[]> positions;
    private int epoch = -1;
    private long steps;
    private long stepNanos;
    private long reduceNanos;
    private long kernelNanos;
    private long computeNanos;

    private SparkGradients(Builder b) {
        this.jsc = b.jsc;
        this.partitions = b.partitions > 0 ? b.partitions : jsc.defaultParallelism();
        this.lossFactory = b.loss;
        this.augmentationFactory = b.augmentation;
        this.exact = b.exact;
    }

    /**
     * @param jsc the Spark context
     * @return a builder: partitions = the context's default parallelism, cross-entropy, no augmentation, exact
     */
    public static Builder builder(JavaSparkContext jsc) {
        return new Builder(jsc);
    }

    /** Settings of {@link SparkGradients}. */
    public static final class Builder {
        private final JavaSparkContext jsc;
        private int partitions;
        private SerializableSupplier<Loss> loss = CrossEntropy::new;
        private SerializableSupplier<Augmentation> augmentation;
        private boolean exact = true;

        private Builder(JavaSparkContext jsc) {
            this.jsc = Objects.requireNonNull(jsc, "jsc");
        }

        /** @param partitions partitions of the training set, at least 1 (one task per partition per step) @return this */
        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** @param loss makes the trainer's loss on the executors (same class as the trainer's) @return this */
        public Builder loss(SerializableSupplier<Loss> loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /** @param augmentation makes the trainer's augmentation on the executors (same class as the trainer's), or null @return this */
        public Builder augmentation(SerializableSupplier<Augmentation> augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** @param exact true: bit-identical to the local trainer; false: partial sums per task (less traffic) @return this */
        public Builder exact(boolean exact) {
            this.exact = exact;
            return this;
        }

        /** @return the gradient source */
        public SparkGradients build() {
            return new SparkGradients(this);
        }
    }

    /** @return the number of partitions the training set is cut into */
    public int partitions() {
        return partitions;
    }

    /** @return whether the reduction is exact (bit-identical to the local trainer) */
    public boolean exact() {
        return exact;
    }

    /** @return steps run since the last {@link #start} */
    public long steps() {
        return steps;
    }

    /** @return wall time of the steps' Spark jobs (broadcast, tasks, collect) since the last start, in ns */
    public long stepNanos() {
        return stepNanos;
    }

    /** @return wall time the driver spent adding the collected sums since the last start, in ns */
    public long reduceNanos() {
        return reduceNanos;
    }

    /**
     * @return the steps' critical path in cnn4j's kernels since the last start, in ns: per step, the
     *         longest time one partition spent in {@link GradientStep#gradients}, summed over the steps
     */
    public long kernelNanos() {
        return kernelNanos;
    }

    /** @return the time all partitions spent in {@link GradientStep#gradients} since the last start, in ns */
    public long computeNanos() {
        return computeNanos;
    }

    @Override
    public void start(Sequential model, Loss loss, long seed, Augmentation augmentation, Dataset train, int batchSize) {
        end();
        Loss remoteLoss = lossFactory.get();
        if (remoteLoss.getClass() != loss.getClass()) {
            throw new IllegalArgumentException("the trainer's loss is " + loss.getClass().getSimpleName() + " but the executors' (SparkGradients.loss) "
                    + remoteLoss.getClass().getSimpleName() + ": give both the same");
        }
        Augmentation remoteAug = augmentationFactory == null ? null : augmentationFactory.get();
        if ((augmentation == null) != (remoteAug == null)
                || augmentation != null && augmentation.getClass() != remoteAug.getClass()) {
            throw new IllegalArgumentException("the trainer's augmentation is " + name(augmentation) + " but the executors' "
                    + "(SparkGradients.augmentation) " + name(remoteAug) + ": give both the same");
        }
        this.run = UUID.randomUUID().toString();
        this.model = model;
        this.seed = seed;
        this.batchSize = batchSize;
        this.samples = train.size();
        this.classes = train.classes();
        this.modelBroadcast = jsc.broadcast(ModelBytes.encode(model, Map.of()));
        this.base = jsc.parallelize(baseBlocks(train, model.inputShape().dims()), partitions);
        this.epoch = -1;
        this.steps = 0;
        this.stepNanos = 0;
        this.reduceNanos = 0;
        this.kernelNanos = 0;
        this.computeNanos = 0;
        LOG.info("Spark training run {}: {} samples in {} partitions, batch {}, {} reduction", run, samples, partitions, batchSize,
                exact ? "exact" : "partial");
        int chunks = StepPartitioner.chunks(Math.min(batchSize, samples));
        if (chunks < partitions) {
            LOG.warn("a batch of {} samples has {} chunks of {}: only {} of the {} partitions work in a step (use a batch of at least {})",
                    batchSize, chunks, GradientStep.CHUNK, chunks, partitions, GradientStep.CHUNK * partitions);
        }
    }

    private static String name(Object o) {
        return o == null ? "none" : o.getClass().getSimpleName();
    }

    /** The training set cut into {@code partitions} contiguous blocks, keyed by sample index. */
    private List<SampleBlock> baseBlocks(Dataset train, int[] dims) {
        int n = train.size();
        int size = train.shape().size();
        List<SampleBlock> blocks = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) n * p / partitions);
            int to = (int) ((long) n * (p + 1) / partitions);
            int[] keys = new int[to - from];
            int[] labels = new int[to - from];
            float[] images = new float[(to - from) * size];
            for (int i = from; i < to; i++) {
                keys[i - from] = i;
                labels[i - from] = train.label(i);
                train.copyImage(i, images, (i - from) * size);
            }
            blocks.add(new SampleBlock(keys, images, labels, dims, train.classes()));
        }
        return blocks;
    }

    @Override
    public double gradients(int epoch, int[] order, int from, int count, Gradients sums) {
        if (run == null) {
            throw new IllegalStateException("SparkGradients.start was not called: pass it to Trainer.Builder.stepGradients");
        }
        if (epoch != this.epoch) {
            shuffle(epoch, order);
        }
        long t0 = System.nanoTime();
        List<Parameter> params = model.parameters();
        float[][] values = new float[params.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = params.get(i).value().clone();
        }
        Broadcast<float[][]> bc = jsc.broadcast(values);
        List<ChunkSums> parts;
        try {
            StepTask task = new StepTask(run, modelBroadcast, bc, steps, lossFactory, augmentationFactory, seed, epoch, from, count, exact);
            jsc.setJobDescription("cnn4j step " + steps + " (epoch " + epoch + ", samples " + from + ".." + (from + count - 1) + ")");
            parts = new ArrayList<>(epochBlocks.mapPartitions(task).collect());
        } finally {
            bc.destroy();
        }
        long t1 = System.nanoTime();
        double loss = reduce(parts, count, sums);
        long t2 = System.nanoTime();
        long[] perPartition = new long[partitions];
        for (ChunkSums c : parts) {
            perPartition[c.partition] += c.nanos;
            computeNanos += c.nanos;
        }
        kernelNanos += Arrays.stream(perPartition).max().orElse(0);
        steps++;
        stepNanos += t1 - t0;
        reduceNanos += t2 - t1;
        return loss;
    }

    /** Adds the parts into {@code sums} in chunk order, after checking that they cover the batch's chunks once each. */
    private double reduce(List<ChunkSums> parts, int count, Gradients sums) {
        parts.sort(Comparator.comparingInt(c -> c.first));
        int chunks = StepPartitioner.chunks(count);
        int next = 0;
        for (ChunkSums c : parts) {
            if (c.first != next || c.last < c.first) {
                throw new IllegalStateException("step " + steps + ": expected chunk " + next + " next, got chunks " + c.first + ".." + c.last);
            }
            next = c.last + 1;
        }
        if (next != chunks) {
            throw new IllegalStateException("step " + steps + ": got chunks 0.." + (next - 1) + " of " + chunks);
        }
        double total = 0;
        for (ChunkSums c : parts) {
            for (int i = 0; i < c.sums.length; i++) {
                float[] src = c.sums[i];
                float[] dst = sums.array(i);
                for (int k = 0; k < src.length; k++) {
                    dst[k] += src[k];
                }
            }
            total += c.loss;
        }
        return total;
    }

    /** Moves every sample to the partition of its position in the epoch's order, and caches the result. */
    private void shuffle(int epoch, int[] order) {
        long t0 = System.nanoTime();
        if (epochBlocks != null) {
            epochBlocks.unpersist(false);
            positions.destroy();
        }
        int[] positionOf = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            positionOf[order[p]] = p;
        }
        Broadcast<int[]> pos = jsc.broadcast(positionOf);
        JavaPairRDD<Integer, Sample> keyed = base.flatMapToPair(block -> {
            int[] where = pos.value();
            int size = block.sampleSize();
            List<Tuple2<Integer, Sample>> out = new ArrayList<>(block.size());
            for (int k = 0; k < block.size(); k++) {
                out.add(new Tuple2<>(where[block.keys[k]],
                        new Sample(block.labels[k], Arrays.copyOfRange(block.images, k * size, (k + 1) * size))));
            }
            return out.iterator();
        });
        int[] dims = model.inputShape().dims();
        int classes = this.classes; // a local: the function shipped to the executors must not capture this
        JavaRDD<SampleBlock> blocks = keyed.partitionBy(new StepPartitioner(samples, batchSize, partitions))
                .mapPartitions((Iterator<Tuple2<Integer, Sample>> it) -> List.of(sorted(it, dims, classes)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        jsc.setJobDescription("cnn4j epoch " + epoch + ": place the samples");
        long placed = blocks.count();
        this.epochBlocks = blocks;
        this.positions = pos;
        this.epoch = epoch;
        LOG.info("epoch {}: {} samples placed in {} partitions in {} ms", epoch, placed == partitions ? samples : placed, partitions,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** @return the partition's samples as one block, sorted by position */
    private static SampleBlock sorted(Iterator<Tuple2<Integer, Sample>> it, int[] dims, int classes) {
        List<Tuple2<Integer, Sample>> all = new ArrayList<>();
        it.forEachRemaining(all::add);
        all.sort(Comparator.comparingInt(Tuple2::_1));
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        int[] keys = new int[all.size()];
        int[] labels = new int[all.size()];
        float[] images = new float[all.size() * size];
        for (int k = 0; k < all.size(); k++) {
            keys[k] = all.get(k)._1();
            labels[k] = all.get(k)._2().label;
            System.arraycopy(all.get(k)._2().pixels, 0, images, k * size, size);
        }
        return new SampleBlock(keys, images, labels, dims, classes);
    }

    @Override
    public void end() {
        if (run == null) {
            return;
        }
        if (epochBlocks != null) {
            epochBlocks.unpersist(false);
            positions.destroy();
        }
        modelBroadcast.destroy();
        ExecutorModels.release(run);
        if (steps > 0) {
            LOG.info("Spark training run {}: {} steps, per step {} ms in the Spark job (of which {} ms on the slowest partition's "
                    + "kernels), {} ms adding on the driver", run, steps, stepNanos / 1e6 / steps, kernelNanos / 1e6 / steps,
                    reduceNanos / 1e6 / steps);
        }
        epochBlocks = null;
        positions = null;
        modelBroadcast = null;
        base = null;
        run = null;
    }
}
