package io.github.cnn4j.train;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Gradients;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.model.Workspace;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.parallel.WorkerPool;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Sequential} on a {@link Dataset}.
 *
 * <pre>{@code
 * TrainingResult r = Trainer.builder(model)
 *     .optimizer(new Sgd(0.01))
 *     .epochs(3)
 *     .batchSize(1)            // the paper's per-sample SGD
 *     .testSet(test)           // evaluated after every epoch
 *     .keepBest(true)          // restore the epoch with the best test accuracy
 *     .build()
 *     .fit(train);
 * }</pre>
 *
 * <h2>Determinism</h2>
 * A batch is cut into chunks of {@value #CHUNK} samples. Each chunk's gradient is computed into its
 * own buffer, on whichever worker thread is free, and the buffers are then added in chunk order.
 * The chunking depends only on the batch size, so a fixed seed gives bit-identical weights for any
 * thread count. Batches of at most {@value #CHUNK} samples run on the calling thread.
 *
 * <h2>Modern training</h2>
 * <pre>{@code
 * Trainer.builder(model)
 *     .optimizer(new WeightDecay(new Adam(0.003), 1e-4))     // L2 weight decay
 *     .batchSize(64).epochs(15).threads(2)
 *     .schedule(LearningRateSchedule.cosine(15, 0.01))       // or step(...), reduceOnPlateau(...)
 *     .augmentation(new RandomAffine(2, 10))                 // shifts and rotations of training batches
 *     .validationSplit(0.1)                                  // held out of the TRAINING set
 *     .earlyStopping(4)                                      // stop after 4 epochs without improvement
 *     .keepBest(true)                                        // restore the best epoch by validation accuracy
 *     .build().fit(train);
 * }</pre>
 * All of it stays deterministic: the validation split, dropout masks and augmentation are derived
 * from the seed ({@link ValidationSplit}; per sample {@code Seeds.mix(seed, epoch, position in the
 * epoch)} in {@link Workspace#noiseSeeds()}), never from a thread's generator; batch normalization
 * normalizes per chunk and its running statistics are recomputed after every epoch by
 * {@link BatchNormStatistics} in a fixed order.
 *
 * <h2>Checkpoints and exact resume</h2>
 * With {@link Builder#checkpoints(CheckpointSink)} the trainer hands a {@link TrainingState} to the
 * sink after every epoch (once it is evaluated and reported to the listeners), every
 * {@link Builder#checkpointEvery(long) N samples} and at least every {@link Builder#checkpointInterval(Duration)
 * few minutes}. {@link #fit(Dataset, TrainingState)} continues from such a state and ends with exactly
 * the weights, results and listener events (from the checkpoint on) of a run that never stopped.
 * Dropout masks and augmentation are seeded by position and learning-rate schedules are functions
 * of the epoch history, so both resume exactly; batch-norm running statistics are recomputed on
 * resume. A {@link Builder#validationSplit(double) validation split} (and so early stopping) and
 * {@code keepBest} on a model with batch normalization cannot be checkpointed: a
 * {@link TrainingState} records the best epoch by test accuracy and parameters only, so
 * {@link Builder#build()} refuses those combinations with checkpoints, and {@code fit} refuses to
 * resume with them. The schedule, augmentation and patience are not recorded in a checkpoint:
 * resume with the same ones.
 *
 * <h2>Divergence guard</h2>
 * A NaN or infinite loss stops training before the step's update; the trainer then runs the batch's
 * forward pass again, sample by sample, to name the first parameter or layer output that is not finite.
 * Parameters are also checked after every block, at the end of every epoch and before every
 * checkpoint (non-finite weights can hide behind a ReLU), so a checkpoint never holds them.
 *
 * <h2>Threads</h2>
 * A trainer runs one {@code fit} at a time, on the calling thread (plus its worker pool); listeners
 * and the sink are called on that thread. Other threads must not read the model while it trains:
 * give them a {@link Sequential#copy()} made from a listener.
 */
public final class Trainer {
    /** Samples per gradient chunk; fixed so that results do not depend on the thread count. */
    public static final int CHUNK = 16;

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** With equal validation accuracy, an epoch is better only if its validation loss is lower by this relative margin. */
    private static final double LOSS_TIE_BREAK = 1e-3;

    private final Sequential model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int epochs;
    private final int batchSize;
    private final int threads;
    private final ShuffleMode shuffle;
    private final long seed;
    private final int blockSize;
    private final Dataset testSet;
    private final boolean keepBest;
    private final List<TrainingListener> listeners;
    private final CheckpointSink sink;
    private final long checkpointEvery;
    private final long checkpointIntervalNanos;
    private final LearningRateSchedule schedule;
    private final double validationFraction;
    private final int patience;
    private final Augmentation augmentation;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.shuffle = b.shuffle;
        this.seed = b.seed != null ? b.seed : model.seed();
        this.blockSize = b.blockSize;
        this.testSet = b.testSet;
        this.keepBest = b.keepBest;
        this.listeners = List.copyOf(b.listeners);
        this.sink = b.sink;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointIntervalNanos = b.checkpointInterval.toNanos();
        this.schedule = b.schedule;
        this.validationFraction = b.validationFraction;
        this.patience = b.patience;
        this.augmentation = b.augmentation;
    }

    /**
     * @param model the model to train (its parameters are modified)
     * @return a builder with defaults: cross-entropy, SGD(0.01), 1 epoch, batch 1, 1 thread, full shuffle
     */
    public static Builder builder(Sequential model) {
        return new Builder(model);
    }

    /** Settings of a {@link Trainer}. */
    public static final class Builder {
        private final Sequential model;
        private Loss loss = new CrossEntropy();
        private Optimizer optimizer = new Sgd(0.01);
        private int epochs = 1;
        private int batchSize = 1;
        private int threads = 1;
        private ShuffleMode shuffle = ShuffleMode.FULL;
        private Long seed;
        private int blockSize = 250;
        private Dataset testSet;
        private boolean keepBest;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private CheckpointSink sink;
        private long checkpointEvery;
        private Duration checkpointInterval = Duration.ofMinutes(5);
        private LearningRateSchedule schedule;
        private double validationFraction;
        private int patience;
        private Augmentation augmentation;

        private Builder(Sequential model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** @param loss the loss (default cross-entropy) @return this */
        public Builder loss(Loss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /** @param optimizer the optimizer (default SGD, lr 0.01) @return this */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** @param epochs number of passes over the training set, at least 1 @return this */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** @param batchSize samples per optimizer step, at least 1 (1 = per-sample SGD) @return this */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** @param threads worker threads, at least 1 (used for batches larger than {@value Trainer#CHUNK} and for evaluation) @return this */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** @param shuffle how the order changes between epochs (default FULL) @return this */
        public Builder shuffle(ShuffleMode shuffle) {
            this.shuffle = Objects.requireNonNull(shuffle, "shuffle");
            return this;
        }

        /** @param seed seed of the shuffling RNG (default: the model's seed) @return this */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @param blockSize samples per {@link BlockStats} report (default 250, as the paper) @return this */
        public Builder blockSize(int blockSize) {
            if (blockSize < 1) {
                throw new IllegalArgumentException("block size must be >= 1, got " + blockSize);
            }
            this.blockSize = blockSize;
            return this;
        }

        /** @param test a set evaluated after every epoch (null for none) @return this */
        public Builder testSet(Dataset test) {
            this.testSet = test;
            return this;
        }

        /**
         * @param keepBest restore, at the end, the parameters (and batch-norm statistics) of the best epoch: by
         *                 validation accuracy when a validation split is set, else by test accuracy
         * @return this
         */
        public Builder keepBest(boolean keepBest) {
            this.keepBest = keepBest;
            return this;
        }

        /** @param listener called per step, block and epoch @return this */
        public Builder listener(TrainingListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Takes checkpoints: after every epoch, and within epochs as set by {@link #checkpointEvery}
         * and {@link #checkpointInterval}. The optimizer must support {@link Optimizer#exportState()}.
         *
         * @param sink where the snapshots go (null: no checkpoints)
         * @return this
         */
        public Builder checkpoints(CheckpointSink sink) {
            this.sink = sink;
            return this;
        }

        /**
         * @param samples also take a checkpoint within an epoch once this many samples were trained
         *                since the last one (default 0: only at the end of epochs and by time)
         * @return this
         */
        public Builder checkpointEvery(long samples) {
            if (samples < 0) {
                throw new IllegalArgumentException("checkpoint interval must be >= 0 samples, got " + samples);
            }
            this.checkpointEvery = samples;
            return this;
        }

        /**
         * @param interval also take a checkpoint within an epoch once this much time passed since the
         *                 last one (default 5 minutes; {@link Duration#ZERO} disables it)
         * @return this
         */
        public Builder checkpointInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("checkpoint interval must not be negative, got " + interval);
            }
            this.checkpointInterval = interval;
            return this;
        }

        /**
         * @param schedule sets the optimizer's learning rate before every epoch (null: keep the optimizer's rate)
         * @return this
         */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Holds out part of the training set ({@link ValidationSplit}, seeded by the trainer's seed) and
         * evaluates it after every epoch; the best epoch is then chosen by validation accuracy (on equal
         * accuracy, by a validation loss lower by at least 0.1%) and never by the test set.
         *
         * @param fraction share of the training set held out, in (0, 0.5], or 0 for no split (default)
         * @return this
         */
        public Builder validationSplit(double fraction) {
            if (!(fraction == 0 || (fraction > 0 && fraction <= 0.5))) {
                throw new IllegalArgumentException("validation fraction must be 0 or in (0, 0.5], got " + fraction);
            }
            this.validationFraction = fraction;
            return this;
        }

        /**
         * Stops when the validation accuracy has not improved for {@code patience} epochs; combine with
         * {@link #keepBest(boolean) keepBest(true)} to restore the best epoch's weights. Needs a
         * {@link #validationSplit(double) validation split}.
         *
         * @param patience epochs without improvement before stopping, at least 1, or 0 for never (default)
         * @return this
         */
        public Builder earlyStopping(int patience) {
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            }
            this.patience = patience;
            return this;
        }

        /**
         * @param augmentation applied to every training batch, with per-sample seeds from (seed, epoch,
         *                     position in the epoch); null for none (default)
         * @return this
         */
        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** @return the trainer */
        public Trainer build() {
            if (keepBest && testSet == null && validationFraction == 0) {
                throw new IllegalArgumentException("keepBest needs a test set or a validation split to pick the best epoch");
            }
            if (patience > 0 && validationFraction == 0) {
                throw new IllegalArgumentException("early stopping needs a validation split (validationSplit), never the test set");
            }
            if (testSet != null && !testSet.shape().equals(model.inputShape())) {
                throw new IllegalArgumentException("test samples have shape " + testSet.shape() + ", the model expects " + model.inputShape());
            }
            if (sink != null) {
                String why = uncheckpointable(validationFraction, keepBest, model);
                if (why != null) {
                    throw new IllegalArgumentException("checkpoints cannot be taken: " + why);
                }
                optimizer.exportState(); // fails now, not at the first checkpoint, when the optimizer cannot
            }
            return new Trainer(this);
        }
    }

    /**
     * @return why a {@link TrainingState} cannot capture a run with these settings, or null when it can
     */
    private static String uncheckpointable(double validationFraction, boolean keepBest, Sequential model) {
        if (validationFraction > 0) {
            return "a validation split (and early stopping) picks the best epoch by validation accuracy, which a checkpoint "
                    + "does not record; train without validationSplit to use checkpoints";
        }
        if (keepBest && !model.state().isEmpty()) {
            return "keepBest on a model with batch normalization must keep the best epoch's running statistics, which a "
                    + "checkpoint does not record; train without keepBest to use checkpoints";
        }
        return null;
    }

    /**
     * Runs the training.
     *
     * @param train the training set (with a validation split, the part held out is not trained on)
     * @return per-epoch results and the best epoch
     * @throws TrainingDivergedException when a loss, activation or weight becomes NaN or infinite
     * @throws UncheckedIOException      when the checkpoint sink cannot store a checkpoint
     */
    public TrainingResult fit(Dataset train) {
        return fit(train, null);
    }

    /**
     * Runs the training, or continues it from a checkpoint. Continuing restores the model's
     * parameters, the optimizer's state, the order, the RNG and all running sums from {@code resumeFrom},
     * calls {@link TrainingListener#onResume} after {@code onStart}, and then runs exactly the steps
     * that the checkpointed run had left, so the final weights and results are bit-identical to an
     * uninterrupted run. The number of epochs may differ from the checkpointed run's (to extend it);
     * the thread count may too; every other setting and the data must be the same.
     *
     * @param train the training set
     * @param resumeFrom a state from this trainer's settings and data (see {@link CheckpointSink}), or null to start afresh
     * @return per-epoch results (including those before the checkpoint) and the best epoch
     * @throws IllegalArgumentException  when {@code resumeFrom} was made with other settings, data or model, naming the differences
     * @throws TrainingDivergedException when a loss, activation or weight becomes NaN or infinite
     * @throws UncheckedIOException      when the checkpoint sink cannot store a checkpoint
     */
    public TrainingResult fit(Dataset train, TrainingState resumeFrom) {
        if (!train.shape().equals(model.inputShape())) {
            throw new IllegalArgumentException("training samples have shape " + train.shape() + ", the model expects " + model.inputShape());
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        if (resumeFrom != null) {
            String why = uncheckpointable(validationFraction, keepBest, model);
            if (why != null) {
                throw new IllegalArgumentException("cannot resume: " + why);
            }
        }
        Dataset validation = null;
        if (validationFraction > 0) {
            ValidationSplit split = ValidationSplit.of(train, validationFraction, seed);
            train = split.train();
            validation = split.validation();
        }
        boolean batchNorm = BatchNormStatistics.applies(model);
        List<Parameter> saved = new ArrayList<>(model.parameters());
        saved.addAll(model.state());
        double baseRate = optimizer.learningRate();
        List<Parameter> params = model.parameters();
        // frozen parameters (fine-tuning) get gradients but no steps, decay or optimizer state
        List<Parameter> trainable = model.trainableParameters();
        List<Parameter> frozen = params.stream().filter(Parameter::frozen).toList();
        int n = train.size();
        TrainingState.Settings settings = sink != null || resumeFrom != null ? settings(train) : null;
        Run r = resumeFrom == null ? new Run(n) : restore(resumeFrom, settings, params);
        if (resumeFrom != null && batchNorm) {
            // not in the checkpoint; as recomputed at the end of the checkpointed run's last finished epoch
            BatchNormStatistics.recompute(model, train, BatchNormStatistics.DEFAULT_SAMPLES, threads);
        }
        Dataset trainSet = train;
        Gradients shared = Gradients.shared(params);
        int maxChunks = (batchSize + CHUNK - 1) / CHUNK;
        Gradients[] chunkGrads = new Gradients[maxChunks > 1 ? maxChunks : 0];
        for (int c = 0; c < chunkGrads.length; c++) {
            chunkGrads[c] = Gradients.allocate(params);
        }
        double[] chunkLoss = new double[maxChunks];
        for (Parameter p : params) {
            p.zeroGrad();
        }
        listeners.forEach(l -> l.onStart(epochs, n));
        if (resumeFrom != null) {
            listeners.forEach(l -> l.onResume(resumeFrom));
            LOG.info("Resuming {} at epoch {}, sample {} of {}", model, resumeFrom.epoch(), resumeFrom.position(), n);
        }
        LOG.info("Training {} for {} epoch(s), {} samples, batch {}, {} thread(s), {}", model, epochs, n, batchSize, threads, optimizer.name());
        long lastCheckpointSeen = r.seen;
        long lastCheckpointTime = System.nanoTime();

        try (WorkerPool pool = new WorkerPool(threads)) {
            Workspace[] spaces = new Workspace[pool.threads()];
            for (int w = 0; w < spaces.length; w++) {
                spaces[w] = model.newWorkspace(Math.min(batchSize, CHUNK));
            }
            while (r.epoch < epochs || r.position < n) {
                if (r.position == n) {
                    r.epoch++;
                    reorder(r.order, r.epoch, r.rng);
                    r.position = 0;
                    r.epochLoss = 0;
                    r.epochNanos = 0;
                }
                int epoch = r.epoch;
                if (schedule != null) {
                    // a function of the finished epochs only, so a resumed epoch gets the same rate
                    optimizer.learningRate((float) schedule.rate(epoch, baseRate, List.copyOf(r.history)));
                }
                double rate = optimizer.learningRate();
                Dataset view = trainSet.select(r.order);
                long t0 = System.nanoTime();
                int step = r.position / batchSize;
                for (int from = r.position; from < n; from += batchSize, step++) {
                    int bs = Math.min(batchSize, n - from);
                    double l = step(view, from, bs, epoch, pool, spaces, shared, chunkGrads, chunkLoss);
                    if (!Double.isFinite(l)) {
                        TrainingDivergedException e = diverged(l, epoch, step, from, bs, view, r.order);
                        // the step is not applied: its (non-finite) gradients are not left behind either
                        params.forEach(Parameter::zeroGrad);
                        throw e;
                    }
                    optimizer.step(trainable, bs);
                    frozen.forEach(Parameter::zeroGrad);
                    r.epochLoss += l;
                    r.blockLoss += l;
                    r.blockCount += bs;
                    r.seen += bs;
                    r.position = from + bs;
                    for (TrainingListener li : listeners) {
                        li.onStep(epoch, from + bs, l / bs);
                    }
                    if (r.blockCount >= blockSize) {
                        checkParameters(epoch, step, "the " + r.blockCount + " samples before it");
                        BlockStats bstats = new BlockStats(r.blocks.size() + 1, r.seen, r.blockCount, r.blockLoss / r.blockCount);
                        r.blocks.add(bstats);
                        for (TrainingListener li : listeners) {
                            li.onBlock(bstats);
                        }
                        r.blockLoss = 0;
                        r.blockCount = 0;
                    }
                    if (sink != null && r.position < n) {
                        long now = System.nanoTime();
                        if ((checkpointEvery > 0 && r.seen - lastCheckpointSeen >= checkpointEvery)
                                || (checkpointIntervalNanos > 0 && now - lastCheckpointTime >= checkpointIntervalNanos)) {
                            r.epochNanos += now - t0;
                            r.trainNanos += now - t0;
                            checkParameters(epoch, step, "the samples since the last check");
                            checkpoint(r, settings, params);
                            lastCheckpointSeen = r.seen;
                            lastCheckpointTime = System.nanoTime();
                            t0 = lastCheckpointTime;
                        }
                    }
                }
                long dt = System.nanoTime() - t0;
                r.epochNanos += dt;
                r.trainNanos += dt;
                double secs = r.epochNanos / 1e9;
                checkParameters(epoch, step - 1, "the samples since the last check");
                if (batchNorm) {
                    BatchNormStatistics.recompute(model, trainSet, BatchNormStatistics.DEFAULT_SAMPLES, threads);
                }
                double testLoss = Double.NaN;
                double testAcc = Double.NaN;
                double valLoss = Double.NaN;
                double valAcc = Double.NaN;
                boolean improved = false;
                if (testSet != null) {
                    Evaluation ev = Evaluation.of(model, testSet, threads);
                    testLoss = ev.meanLoss();
                    testAcc = ev.accuracy();
                }
                if (validation != null) {
                    Evaluation ev = Evaluation.of(model, validation, threads);
                    valLoss = ev.meanLoss();
                    valAcc = ev.accuracy();
                    improved = r.bestEpoch == 0 || valAcc > r.bestAcc
                            || (valAcc == r.bestAcc && valLoss < r.bestLoss * (1 - LOSS_TIE_BREAK));
                    if (improved) {
                        r.bestAcc = valAcc;
                        r.bestLoss = valLoss;
                        r.bestEpoch = epoch;
                        if (keepBest) {
                            r.best = snapshot(saved);
                        }
                    }
                } else if (testSet != null) {
                    improved = r.bestEpoch == 0 || testAcc > r.bestAcc;
                    if (improved) {
                        r.bestAcc = testAcc;
                        r.bestEpoch = epoch;
                        if (keepBest) {
                            r.best = snapshot(saved);
                        }
                    }
                } else {
                    r.bestEpoch = epoch;
                    improved = true;
                }
                EpochStats es = new EpochStats(epoch, r.epochLoss / n, testLoss, testAcc, secs, improved, valLoss, valAcc, rate);
                r.history.add(es);
                if (LOG.isInfoEnabled()) {
                    LOG.info(String.format(Locale.ROOT, "epoch %d: train loss %.5f%s%s, %.2f s", epoch, es.trainLoss(),
                            Double.isNaN(valAcc) ? "" : String.format(Locale.ROOT, ", validation loss %.5f, accuracy %.2f%%", valLoss, 100 * valAcc),
                            Double.isNaN(testAcc) ? "" : String.format(Locale.ROOT, ", test loss %.5f, accuracy %.2f%%", testLoss, 100 * testAcc),
                            secs));
                }
                for (TrainingListener li : listeners) {
                    li.onEpoch(es);
                }
                if (sink != null) {
                    checkpoint(r, settings, params);
                    lastCheckpointSeen = r.seen;
                    lastCheckpointTime = System.nanoTime();
                }
                if (patience > 0 && epoch - r.bestEpoch >= patience) {
                    LOG.info("early stop after epoch {}: no better validation accuracy for {} epoch(s) since epoch {}", epoch, patience,
                            r.bestEpoch);
                    break;
                }
            }
        }
        if (keepBest && r.best != null) {
            for (int i = 0; i < saved.size(); i++) {
                saved.get(i).set(r.best[i]);
            }
        }
        TrainingResult result = new TrainingResult(List.copyOf(r.history), r.bestEpoch, r.bestAcc, r.seen / (r.trainNanos / 1e9));
        listeners.forEach(l -> l.onEnd(result));
        return result;
    }

    /** The mutable progress of one {@code fit}: what a {@link TrainingState} captures. */
    private final class Run {
        final Rng rng;
        final int[] order;
        int epoch;
        int position;
        double epochLoss;
        long epochNanos;
        long seen;
        double blockLoss;
        int blockCount;
        long trainNanos;
        final List<EpochStats> history = new ArrayList<>();
        final List<BlockStats> blocks = new ArrayList<>();
        float[][] best;
        int bestEpoch;
        double bestAcc = Double.NaN;
        /** The best epoch's validation loss (only with a validation split, which is never checkpointed). */
        double bestLoss = Double.NaN;

        /** Before the first epoch: the identity order, as if epoch 0 had just finished. */
        Run(int n) {
            rng = new Rng(seed);
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            position = n;
        }

        Run(TrainingState s) {
            rng = new Rng(s.rngState());
            order = s.order().clone();
            epoch = s.epoch();
            position = s.position();
            epochLoss = s.epochLoss();
            epochNanos = s.epochNanos();
            seen = s.samplesSeen();
            blockLoss = s.blockLoss();
            blockCount = s.blockCount();
            trainNanos = s.trainNanos();
            history.addAll(s.history());
            blocks.addAll(s.blockHistory());
            best = s.best() == null ? null : copy(s.best());
            bestEpoch = s.bestEpoch();
            bestAcc = s.bestAccuracy();
        }
    }

    private TrainingState.Settings settings(Dataset train) {
        long fp = train.fingerprint();
        if (testSet != null) {
            fp = fp * 31 + testSet.fingerprint();
        }
        return new TrainingState.Settings(epochs, seed, shuffle, batchSize, blockSize, keepBest, train.size(),
                testSet == null ? 0 : testSet.size(), fp);
    }

    private Run restore(TrainingState from, TrainingState.Settings settings, List<Parameter> params) {
        String diff = from.settings().differences(settings);
        if (!diff.isEmpty()) {
            throw new IllegalArgumentException("cannot resume: the checkpoint was made with other settings or data: " + diff);
        }
        if (from.epoch() > epochs) {
            throw new IllegalArgumentException("cannot resume: the checkpoint is at epoch " + from.epoch() + ", this trainer runs "
                    + epochs + " epoch(s)");
        }
        float[][] values = from.parameters();
        if (values.length != params.size()) {
            throw new IllegalArgumentException("cannot resume: the checkpoint has " + values.length + " parameters, the model "
                    + params.size());
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != params.get(i).size()) {
                throw new IllegalArgumentException("cannot resume: checkpoint parameter " + i + " has " + values[i].length
                        + " values, the model's " + params.get(i) + " " + params.get(i).size());
            }
        }
        from.optimizer().checkFits(model.trainableParameters());
        optimizer.importState(from.optimizer());
        for (int i = 0; i < values.length; i++) {
            params.get(i).set(values[i]);
        }
        return new Run(from);
    }

    private void checkpoint(Run r, TrainingState.Settings settings, List<Parameter> params) {
        TrainingState state = new TrainingState(settings, r.epoch, r.position, r.rng.state(), r.order.clone(), r.epochLoss,
                r.epochNanos, r.seen, r.blockLoss, r.blockCount, r.trainNanos, snapshot(params), optimizer.exportState(),
                r.history, r.blocks, r.bestEpoch, r.bestAcc, r.best == null ? null : copy(r.best));
        try {
            sink.save(state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint at epoch " + r.epoch + ", sample " + r.position + " of "
                    + r.order.length + ": " + e.getMessage(), e);
        }
    }

    // ----- divergence guard

    /** Throws when a parameter is not finite; called after blocks, at epoch ends and before checkpoints. */
    private void checkParameters(int epoch, int step, String since) {
        List<Layer> layers = model.layers();
        for (int li = 0; li < layers.size(); li++) {
            for (Parameter p : layers.get(li).parameters()) {
                float[] v = p.value();
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        throw new TrainingDivergedException(String.format(
                                "parameter %s of layer %d %s became non-finite: value %d is %s, found after epoch %d, step %d "
                                        + "(set by that step or one of %s)", p, li, layers.get(li).name(), i, v[i], epoch, step, since),
                                epoch, step, li, v[i]);
                    }
                }
            }
        }
    }

    /** Names the first non-finite parameter, input or layer output behind a non-finite loss. */
    private TrainingDivergedException diverged(double loss, int epoch, int step, int from, int bs, Dataset view, int[] order) {
        String where = String.format("loss is %s at epoch %d, step %d (samples %d..%d of the epoch's order); parameters were not "
                + "updated by this step", loss, epoch, step, from, from + bs - 1);
        List<Layer> layers = model.layers();
        for (int li = 0; li < layers.size(); li++) {
            for (Parameter p : layers.get(li).parameters()) {
                float[] v = p.value();
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        return new TrainingDivergedException(String.format("%s; first non-finite value: parameter %s of layer %d %s, value %d is %s",
                                where, p, li, layers.get(li).name(), i, v[i]), epoch, step, li, v[i]);
                    }
                }
            }
        }
        Workspace ws = model.newWorkspace(1);
        for (int k = 0; k < bs; k++) {
            int pos = from + k;
            view.copyBatch(pos, 1, ws.input().data(), ws.labels());
            prepare(ws, epoch, pos, 1);
            String sample = "training sample " + order[pos] + " (position " + pos + " of the epoch's order)";
            int bad = firstNonFinite(ws.input());
            if (bad >= 0) {
                float x = ws.input().data()[bad];
                return new TrainingDivergedException(String.format("%s; first non-finite value: input value %d of %s is %s",
                        where, bad, sample, x), epoch, step, -1, x);
            }
            model.forward(ws, 1, true);
            for (int li = 0; li < layers.size(); li++) {
                Tensor out = ws.activation(li);
                bad = firstNonFinite(out);
                if (bad >= 0) {
                    float x = out.data()[bad];
                    return new TrainingDivergedException(String.format("%s; first non-finite value: output of layer %d %s for %s, value %d of %d is %s",
                            where, li, layers.get(li).name(), sample, bad, out.shape().size(), x), epoch, step, li, x);
                }
            }
        }
        return new TrainingDivergedException(where + "; every parameter and layer output is finite: the loss function itself "
                + "overflowed", epoch, step, -1, loss);
    }

    private static int firstNonFinite(Tensor t) {
        float[] d = t.data();
        int len = t.shape().size() * t.batch();
        for (int i = 0; i < len; i++) {
            if (!Float.isFinite(d[i])) {
                return i;
            }
        }
        return -1;
    }

    private double step(Dataset view, int from, int bs, int epoch, WorkerPool pool, Workspace[] spaces,
                        Gradients shared, Gradients[] chunkGrads, double[] chunkLoss) {
        int chunks = (bs + CHUNK - 1) / CHUNK;
        if (chunks == 1) {
            Workspace ws = spaces[0];
            ws.gradients(shared);
            view.copyBatch(from, bs, ws.input().data(), ws.labels());
            prepare(ws, epoch, from, bs);
            model.forward(ws, bs, true);
            return model.backward(ws, loss, false);
        }
        pool.run(chunks, (worker, c) -> {
            Workspace ws = spaces[worker];
            Gradients g = chunkGrads[c];
            g.zero();
            ws.gradients(g);
            int start = from + c * CHUNK;
            int m = Math.min(CHUNK, from + bs - start);
            view.copyBatch(start, m, ws.input().data(), ws.labels());
            prepare(ws, epoch, start, m);
            model.forward(ws, m, true);
            chunkLoss[c] = model.backward(ws, loss, false);
        });
        double total = 0;
        for (int c = 0; c < chunks; c++) {
            chunkGrads[c].addTo(shared);
            total += chunkLoss[c];
        }
        return total;
    }

    /**
     * Per-sample noise seeds {@code Seeds.mix(seed, epoch, position)} for dropout, then augmentation:
     * a function of the sample's place in the epoch, not of the thread.
     */
    private void prepare(Workspace ws, int epoch, int from, int m) {
        long[] seeds = ws.noiseSeeds();
        for (int k = 0; k < m; k++) {
            seeds[k] = Seeds.mix(seed, epoch, from + k);
        }
        if (augmentation != null) {
            augmentation.apply(ws.input().data(), m, model.inputShape(), seeds);
        }
    }

    private void reorder(int[] order, int epoch, Rng rng) {
        switch (shuffle) {
            case NONE:
                break;
            case FULL:
                for (int i = order.length - 1; i > 0; i--) {
                    swap(order, i, rng.nextInt(i + 1));
                }
                break;
            case PAPER:
                if (epoch > 1) {
                    int swaps = (int) (0.2 * order.length);
                    for (int s = 0; s < swaps; s++) {
                        swap(order, rng.nextInt(order.length), rng.nextInt(order.length));
                    }
                }
                break;
            default:
                throw new IllegalStateException("unknown shuffle mode " + shuffle);
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static float[][] snapshot(List<Parameter> params) {
        float[][] s = new float[params.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = params.get(i).value().clone();
        }
        return s;
    }
}
