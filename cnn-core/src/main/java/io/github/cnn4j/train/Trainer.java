package io.github.cnn4j.train;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Gradients;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.random.Rng;
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
 * epoch)} in {@link io.github.cnn4j.model.Workspace#noiseSeeds()}), never from a thread's generator; batch normalization
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
 * checkpoint (non-finite weights can hide behind a ReLU), so a checkpoint never holds them. The
 * {@link Builder#divergenceGuard(DivergenceGuard) guard} also stops a run whose weights or loss grow
 * past a bound, whose loss sits at the clipping bound for a whole block, or whose loss stays worse than
 * a uniform guess: always before the block or epoch is reported, so a diverged epoch never reaches the
 * listeners that save models.
 *
 * <h2>Parts</h2>
 * {@code fit} coordinates reusable pieces: {@link GradientStep} (the gradient sums of a batch, and
 * the optimizer's update: a distributed trainer computes the first on its workers and applies the
 * second on its driver), {@link DivergenceGuard}, {@link BestEpoch} (best epoch and keep-best),
 * {@link EarlyStopping} (a listener that {@linkplain TrainingListener#stopRequested() requests a stop})
 * and {@link CheckpointCadence}. A {@link StepGradients} source ({@link Builder#stepGradients}) computes the
 * gradient sums elsewhere (a cluster) while everything else stays here.
 *
 * <h2>Threads</h2>
 * A trainer runs one {@code fit} at a time, on the calling thread (plus its worker pool); listeners
 * and the sink are called on that thread. Other threads must not read the model while it trains:
 * give them a {@link Sequential#copy()} made from a listener.
 */
public final class Trainer {
    /** Samples per gradient chunk; fixed so that results do not depend on the thread count ({@link GradientStep#CHUNK}). */
    public static final int CHUNK = GradientStep.CHUNK;

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

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
    private final Duration checkpointInterval;
    private final LearningRateSchedule schedule;
    private final double validationFraction;
    private final int patience;
    private final Augmentation augmentation;
    private final DivergenceGuard guard;
    private final StepGradients remote;

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
        this.checkpointInterval = b.checkpointInterval;
        this.schedule = b.schedule;
        this.validationFraction = b.validationFraction;
        this.patience = b.patience;
        this.augmentation = b.augmentation;
        this.guard = b.guard;
        this.remote = b.remote;
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
        private DivergenceGuard guard = DivergenceGuard.defaults();
        private StepGradients remote;

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

        /**
         * @param guard when to stop training as diverged (default {@link DivergenceGuard#defaults()}: NaN or
         *              infinity, a weight or loss past its bound, a loss stuck at the clipping bound)
         * @return this
         */
        public Builder divergenceGuard(DivergenceGuard guard) {
            this.guard = Objects.requireNonNull(guard, "guard");
            return this;
        }

        /**
         * @param source computes every step's gradient sums instead of this machine (e.g. a cluster,
         *               see {@link StepGradients}); null for this machine (default)
         * @return this
         */
        public Builder stepGradients(StepGradients source) {
            this.remote = source;
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
     * @throws TrainingDivergedException when the {@link DivergenceGuard} finds that training diverged
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
     * <p>Every epoch is: the {@link LearningRateSchedule schedule}'s rate; the steps, each a
     * {@link GradientStep} ({@code gradients} then {@code apply}) watched by the {@link DivergenceGuard},
     * with blocks reported and checkpoints taken by the {@link CheckpointCadence}; then the evaluation,
     * the {@link BestEpoch}, the listeners, the epoch's checkpoint, and a stop when a listener
     * {@linkplain TrainingListener#stopRequested() requests} one ({@link EarlyStopping}).
     *
     * @param train the training set
     * @param resumeFrom a state from this trainer's settings and data (see {@link CheckpointSink}), or null to start afresh
     * @return per-epoch results (including those before the checkpoint) and the best epoch
     * @throws IllegalArgumentException  when {@code resumeFrom} was made with other settings, data or model, naming the differences
     * @throws TrainingDivergedException when the {@link DivergenceGuard} finds that training diverged
     * @throws UncheckedIOException      when the checkpoint sink cannot store a checkpoint
     */
    public TrainingResult fit(Dataset train, TrainingState resumeFrom) {
        checkFit(train, resumeFrom);
        Dataset validation = null;
        if (validationFraction > 0) {
            ValidationSplit split = ValidationSplit.of(train, validationFraction, seed);
            train = split.train();
            validation = split.validation();
        }
        int n = train.size();
        double baseRate = optimizer.learningRate(); // before a checkpoint's optimizer state replaces it
        TrainingState.Settings settings = sink != null || resumeFrom != null ? settings(train) : null;
        Run r = resumeFrom == null ? new Run(n) : restore(resumeFrom, settings);
        if (resumeFrom != null && BatchNormStatistics.applies(model)) {
            // not in the checkpoint; as recomputed at the end of the checkpointed run's last finished epoch
            BatchNormStatistics.recompute(model, train, BatchNormStatistics.DEFAULT_SAMPLES, threads);
        }
        model.parameters().forEach(Parameter::zeroGrad);
        List<TrainingListener> all = start(n, resumeFrom);
        CheckpointCadence cadence = new CheckpointCadence(checkpointEvery, checkpointInterval);
        cadence.taken(r.seen, System.nanoTime());
        if (remote != null) {
            remote.start(model, loss, seed, augmentation, train, batchSize);
        }
        try (GradientStep step = new GradientStep(model, loss, seed, augmentation, threads, batchSize)) {
            while (r.epoch < epochs || r.position < n) {
                if (r.position == n) {
                    r.nextEpoch();
                }
                double rate = learningRate(r, baseRate);
                trainEpoch(r, step, train, settings, cadence, all);
                EpochStats es = evaluate(r, train, validation, rate);
                all.forEach(l -> l.onEpoch(es));
                if (sink != null) {
                    checkpoint(r, settings);
                    cadence.taken(r.seen, System.nanoTime());
                }
                if (all.stream().anyMatch(TrainingListener::stopRequested)) {
                    break;
                }
            }
        } finally {
            if (remote != null) {
                remote.end();
            }
        }
        r.best.restore();
        TrainingResult result = new TrainingResult(List.copyOf(r.history), r.best.epoch(), r.best.accuracy(), r.seen / (r.trainNanos / 1e9));
        all.forEach(l -> l.onEnd(result));
        return result;
    }

    /** @return the listeners and policies that hear the run's events, after telling them that it starts */
    private List<TrainingListener> start(int n, TrainingState resumeFrom) {
        List<TrainingListener> all = new ArrayList<>(listeners);
        if (patience > 0) {
            all.add(new EarlyStopping(patience));
        }
        all.forEach(l -> l.onStart(epochs, n));
        if (resumeFrom != null) {
            all.forEach(l -> l.onResume(resumeFrom));
            LOG.info("Resuming {} at epoch {}, sample {} of {}", model, resumeFrom.epoch(), resumeFrom.position(), n);
        }
        LOG.info("Training {} for {} epoch(s), {} samples, batch {}, {} thread(s), {}", model, epochs, n, batchSize, threads, optimizer.name());
        return all;
    }

    private void checkFit(Dataset train, TrainingState resumeFrom) {
        if (!train.shape().equals(model.inputShape())) {
            throw new IllegalArgumentException("training samples have shape " + train.shape() + ", the model expects " + model.inputShape());
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        String why = resumeFrom == null ? null : uncheckpointable(validationFraction, keepBest, model);
        if (why != null) {
            throw new IllegalArgumentException("cannot resume: " + why);
        }
    }

    /** Sets the schedule's rate: a function of the finished epochs only, so a resumed epoch gets the same rate. */
    private double learningRate(Run r, double baseRate) {
        if (schedule != null) {
            optimizer.learningRate((float) schedule.rate(r.epoch, baseRate, List.copyOf(r.history)));
        }
        return optimizer.learningRate();
    }

    /** Trains the rest of the current epoch: steps, blocks and checkpoints within it. */
    private void trainEpoch(Run r, GradientStep gs, Dataset train, TrainingState.Settings settings, CheckpointCadence cadence,
                            List<TrainingListener> all) {
        int n = train.size();
        int epoch = r.epoch;
        Dataset view = train.select(r.order);
        long t0 = System.nanoTime();
        int step = r.position / batchSize;
        for (int from = r.position; from < n; from += batchSize, step++) {
            int bs = Math.min(batchSize, n - from);
            double l = remote != null ? remote.gradients(epoch, r.order, from, bs, r.sums)
                    : gs.gradients(view, from, bs, epoch, from, r.sums);
            try {
                guard.checkStep(gs, view, r.order, l, bs, epoch, step, from);
            } catch (TrainingDivergedException e) {
                // the step is not applied: its (non-finite) gradients are not left behind either
                model.parameters().forEach(Parameter::zeroGrad);
                throw e;
            }
            GradientStep.apply(optimizer, r.sums, bs);
            r.stepDone(l, bs, from + bs);
            for (TrainingListener li : all) {
                li.onStep(epoch, from + bs, l / bs);
            }
            if (r.blockCount >= blockSize) {
                reportBlock(r, epoch, step, all);
            }
            long now = System.nanoTime();
            if (sink != null && r.position < n && cadence.due(r.seen, now)) {
                r.addTime(now - t0);
                guard.checkParameters(model, epoch, step, "the samples since the last check");
                checkpoint(r, settings);
                t0 = System.nanoTime();
                cadence.taken(r.seen, t0);
            }
        }
        r.addTime(System.nanoTime() - t0);
        guard.checkParameters(model, epoch, step - 1, "the samples since the last check");
        guard.checkEpoch(model, loss, r.epochLoss, n, epoch, step - 1);
    }

    private void reportBlock(Run r, int epoch, int step, List<TrainingListener> all) {
        guard.checkParameters(model, epoch, step, "the " + r.blockCount + " samples before it");
        BlockStats b = new BlockStats(r.blocks.size() + 1, r.seen, r.blockCount, r.blockLoss / r.blockCount);
        guard.checkBlock(model, loss, b, r.blocks, epoch, step);
        r.blocks.add(b);
        for (TrainingListener li : all) {
            li.onBlock(b);
        }
        r.blockLoss = 0;
        r.blockCount = 0;
    }

    /** Recomputes batch-norm statistics, evaluates the finished epoch, weighs it against the best and logs it. */
    private EpochStats evaluate(Run r, Dataset train, Dataset validation, double rate) {
        if (BatchNormStatistics.applies(model)) {
            BatchNormStatistics.recompute(model, train, BatchNormStatistics.DEFAULT_SAMPLES, threads);
        }
        Evaluation test = testSet == null ? null : Evaluation.of(model, testSet, threads);
        Evaluation val = validation == null ? null : Evaluation.of(model, validation, threads);
        double testLoss = test == null ? Double.NaN : test.meanLoss();
        double testAcc = test == null ? Double.NaN : test.accuracy();
        double valLoss = val == null ? Double.NaN : val.meanLoss();
        double valAcc = val == null ? Double.NaN : val.accuracy();
        boolean improved = val != null ? r.best.offer(r.epoch, valAcc, valLoss) : r.best.offer(r.epoch, testAcc, Double.NaN);
        EpochStats es = new EpochStats(r.epoch, r.epochLoss / train.size(), testLoss, testAcc, r.epochNanos / 1e9, improved, valLoss,
                valAcc, rate);
        r.history.add(es);
        if (LOG.isInfoEnabled()) {
            LOG.info(String.format(Locale.ROOT, "epoch %d: train loss %.5f%s%s, %.2f s", es.epoch(), es.trainLoss(),
                    Double.isNaN(valAcc) ? "" : String.format(Locale.ROOT, ", validation loss %.5f, accuracy %.2f%%", valLoss, 100 * valAcc),
                    Double.isNaN(testAcc) ? "" : String.format(Locale.ROOT, ", test loss %.5f, accuracy %.2f%%", testLoss, 100 * testAcc),
                    es.seconds()));
        }
        return es;
    }

    /** The mutable progress of one {@code fit}: what a {@link TrainingState} captures. */
    private final class Run {
        final Rng rng;
        final int[] order;
        /** The step's gradient sums: the parameters' own gradients. */
        final Gradients sums = Gradients.shared(model.parameters());
        final BestEpoch best;
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

        /** Before the first epoch: the identity order, as if epoch 0 had just finished. */
        Run(int n) {
            rng = new Rng(seed);
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            position = n;
            best = newBest();
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
            best = newBest();
            best.resume(s.bestEpoch(), s.bestAccuracy(), s.best());
        }

        private BestEpoch newBest() {
            List<Parameter> saved = new ArrayList<>(model.parameters());
            saved.addAll(model.state());
            return new BestEpoch(saved, keepBest);
        }

        void nextEpoch() {
            epoch++;
            reorder(order, epoch, rng);
            position = 0;
            epochLoss = 0;
            epochNanos = 0;
        }

        void stepDone(double lossSum, int bs, int newPosition) {
            epochLoss += lossSum;
            blockLoss += lossSum;
            blockCount += bs;
            seen += bs;
            position = newPosition;
        }

        void addTime(long nanos) {
            epochNanos += nanos;
            trainNanos += nanos;
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

    private Run restore(TrainingState from, TrainingState.Settings settings) {
        List<Parameter> params = model.parameters();
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

    /** Checks the parameters, then hands the run's state to the sink. */
    private void checkpoint(Run r, TrainingState.Settings settings) {
        TrainingState state = new TrainingState(settings, r.epoch, r.position, r.rng.state(), r.order.clone(), r.epochLoss,
                r.epochNanos, r.seen, r.blockLoss, r.blockCount, r.trainNanos, BestEpoch.snapshot(model.parameters()),
                optimizer.exportState(), r.history, r.blocks, r.best.epoch(), r.best.accuracy(), r.best.values());
        try {
            sink.save(state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint at epoch " + r.epoch + ", sample " + r.position + " of "
                    + r.order.length + ": " + e.getMessage(), e);
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
}
