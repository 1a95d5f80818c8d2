package io.github.cnn4j.train;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Gradients;
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
import java.util.ArrayList;
import java.util.List;
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
            return new Trainer(this);
        }
    }

    /**
     * Runs the training.
     *
     * @param train the training set (with a validation split, the part held out is not trained on)
     * @return per-epoch results and the best epoch
     * @throws TrainingDivergedException when a loss becomes NaN or infinite
     */
    public TrainingResult fit(Dataset train) {
        if (!train.shape().equals(model.inputShape())) {
            throw new IllegalArgumentException("training samples have shape " + train.shape() + ", the model expects " + model.inputShape());
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
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
        double bestLoss = Double.NaN;
        List<Parameter> params = model.parameters();
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
        Rng rng = new Rng(seed);
        int n = train.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<EpochStats> history = new ArrayList<>();
        float[][] best = null;
        int bestEpoch = 0;
        double bestAcc = Double.NaN;
        long blocks = 0;
        long seen = 0;
        double blockLoss = 0;
        int blockCount = 0;
        double trainNanos = 0;
        listeners.forEach(l -> l.onStart(epochs, n));
        LOG.info("Training {} for {} epoch(s), {} samples, batch {}, {} thread(s), {}", model, epochs, n, batchSize, threads, optimizer.name());

        try (WorkerPool pool = new WorkerPool(threads)) {
            Workspace[] spaces = new Workspace[pool.threads()];
            for (int w = 0; w < spaces.length; w++) {
                spaces[w] = model.newWorkspace(Math.min(batchSize, CHUNK));
            }
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (schedule != null) {
                    optimizer.learningRate((float) schedule.rate(epoch, baseRate, List.copyOf(history)));
                }
                double rate = optimizer.learningRate();
                reorder(order, epoch, rng);
                Dataset view = train.select(order);
                long t0 = System.nanoTime();
                double epochLoss = 0;
                int step = 0;
                for (int from = 0; from < n; from += batchSize, step++) {
                    int bs = Math.min(batchSize, n - from);
                    double l = step(view, from, bs, epoch, pool, spaces, shared, chunkGrads, chunkLoss);
                    if (!Double.isFinite(l)) {
                        throw new TrainingDivergedException(String.format(
                                "loss is %s at epoch %d, step %d (samples %d..%d of the epoch's order); parameters were not updated by this step",
                                l, epoch, step, from, from + bs - 1));
                    }
                    optimizer.step(params, bs);
                    epochLoss += l;
                    blockLoss += l;
                    blockCount += bs;
                    seen += bs;
                    for (TrainingListener li : listeners) {
                        li.onStep(epoch, from + bs, l / bs);
                    }
                    if (blockCount >= blockSize) {
                        BlockStats bstats = new BlockStats(++blocks, seen, blockCount, blockLoss / blockCount);
                        for (TrainingListener li : listeners) {
                            li.onBlock(bstats);
                        }
                        blockLoss = 0;
                        blockCount = 0;
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                trainNanos += System.nanoTime() - t0;
                if (batchNorm) {
                    BatchNormStatistics.recompute(model, train, BatchNormStatistics.DEFAULT_SAMPLES, threads);
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
                    improved = bestEpoch == 0 || valAcc > bestAcc || (valAcc == bestAcc && valLoss < bestLoss * (1 - LOSS_TIE_BREAK));
                    if (improved) {
                        bestAcc = valAcc;
                        bestLoss = valLoss;
                        bestEpoch = epoch;
                        if (keepBest) {
                            best = snapshot(saved);
                        }
                    }
                } else if (testSet != null) {
                    improved = bestEpoch == 0 || testAcc > bestAcc;
                    if (improved) {
                        bestAcc = testAcc;
                        bestEpoch = epoch;
                        if (keepBest) {
                            best = snapshot(saved);
                        }
                    }
                } else {
                    bestEpoch = epoch;
                    improved = true;
                }
                EpochStats es = new EpochStats(epoch, epochLoss / n, testLoss, testAcc, secs, improved, valLoss, valAcc, rate);
                history.add(es);
                LOG.info("epoch {}: train loss {}, test loss {}, test accuracy {}, {} s", epoch, es.trainLoss(), testLoss, testAcc, secs);
                for (TrainingListener li : listeners) {
                    li.onEpoch(es);
                }
                if (patience > 0 && epoch - bestEpoch >= patience) {
                    LOG.info("early stop after epoch {}: no better validation accuracy for {} epoch(s) since epoch {}", epoch, patience, bestEpoch);
                    break;
                }
            }
        }
        if (keepBest && best != null) {
            for (int i = 0; i < saved.size(); i++) {
                saved.get(i).set(best[i]);
            }
        }
        TrainingResult result = new TrainingResult(List.copyOf(history), bestEpoch, bestAcc, (double) seen / (trainNanos / 1e9));
        listeners.forEach(l -> l.onEnd(result));
        return result;
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

    private static float[][] snapshot(List<Parameter> params) {
        float[][] s = new float[params.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = params.get(i).value().clone();
        }
        return s;
    }
}
