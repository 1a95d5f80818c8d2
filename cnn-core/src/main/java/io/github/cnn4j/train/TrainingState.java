package io.github.cnn4j.train;

import io.github.cnn4j.optim.OptimizerState;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a training run between two optimizer steps: everything {@link Trainer#fit(io.github.cnn4j.data.Dataset, TrainingState)}
 * needs to continue the run so that it ends bit for bit as if it had never stopped.
 *
 * <p>It holds the run's settings (to refuse resuming with different ones), where the run is (epoch,
 * position in that epoch's order, the order itself and the shuffling RNG's state), the model's
 * parameters, the optimizer's state, the running sums behind the epoch and block losses, every
 * {@link EpochStats} and {@link BlockStats} reported so far (so that logs can be rebuilt without gaps
 * or duplicates) and the best epoch's parameters when the trainer keeps the best epoch.
 *
 * <p>The constructor checks every invariant between the fields (see {@link #TrainingState}); a state
 * that passes describes a run the trainer can really continue. Arrays are not copied: a state made by
 * the trainer shares nothing with the live model, and nobody should modify its arrays.
 *
 * @param settings      what the run was configured with
 * @param epoch         the current epoch, from 1: in progress, or just finished when {@code position == settings.trainSize()}
 * @param position      samples of this epoch's order already trained, {@code 0..trainSize}; a multiple of the
 *                      batch size unless the epoch is finished; {@code trainSize} means the epoch is finished,
 *                      evaluated and reported
 * @param rngState      state of the shuffling {@link io.github.cnn4j.random.Rng} after this epoch's reordering
 * @param order         this epoch's order: a permutation of the training set's indices
 * @param epochLoss     sum of the per-sample losses trained so far in this epoch
 * @param epochNanos    training time so far in this epoch (reported only; not part of the results)
 * @param samplesSeen   samples trained so far over all epochs
 * @param blockLoss     sum of the losses of the current, incomplete block
 * @param blockCount    samples in the current, incomplete block ({@code < blockSize})
 * @param trainNanos    training time so far over all epochs (reported only)
 * @param parameters    the model's parameter values, in {@link io.github.cnn4j.model.Sequential#parameters()} order
 * @param optimizer     the optimizer's state (its buffers cover the parameters that are not frozen)
 * @param history       the finished epochs, in order
 * @param blockHistory  the reported blocks, in order (block {@code i} at index {@code i - 1})
 * @param bestEpoch     the best epoch so far (0 before the first epoch ends)
 * @param bestAccuracy  its test accuracy (NaN without a test set or before the first epoch ends)
 * @param best          the best epoch's parameter values when the trainer keeps the best epoch, else null
 */
public record TrainingState(Settings settings, int epoch, int position, long rngState, int[] order, double epochLoss,
                            long epochNanos, long samplesSeen, double blockLoss, int blockCount, long trainNanos,
                            float[][] parameters, OptimizerState optimizer, List<EpochStats> history,
                            List<BlockStats> blockHistory, int bestEpoch, double bestAccuracy, float[][] best) {

    /**
     * The settings of a run that decide its results, compared when resuming.
     *
     * @param epochs          epochs planned (informative: a resumed run may plan more or fewer)
     * @param seed            seed of the shuffling RNG
     * @param shuffle         shuffle mode
     * @param batchSize       samples per step
     * @param blockSize       samples per reported block
     * @param keepBest        whether the best epoch's parameters are kept
     * @param trainSize       training samples
     * @param testSize        test samples (0 without a test set)
     * @param dataFingerprint {@link io.github.cnn4j.data.Dataset#fingerprint()} of the training set, combined with the test set's
     */
    public record Settings(int epochs, long seed, ShuffleMode shuffle, int batchSize, int blockSize, boolean keepBest,
                           int trainSize, int testSize, long dataFingerprint) {
        /** Validates the ranges. */
        public Settings {
            Objects.requireNonNull(shuffle, "shuffle");
            if (epochs < 1 || batchSize < 1 || blockSize < 1 || trainSize < 1 || testSize < 0) {
                throw new IllegalArgumentException("settings out of range: epochs " + epochs + ", batch size " + batchSize
                        + ", block size " + blockSize + ", training samples " + trainSize + ", test samples " + testSize);
            }
            if (keepBest && testSize == 0) {
                throw new IllegalArgumentException("keepBest needs a test set");
            }
        }

        /**
         * @param other the settings of the run that would continue this one
         * @return the differences that change results, e.g. {@code batch size 1 (checkpoint) vs 8}; empty when none
         */
        public String differences(Settings other) {
            StringBuilder sb = new StringBuilder();
            diff(sb, "shuffling seed", seed, other.seed);
            diff(sb, "shuffle mode", shuffle, other.shuffle);
            diff(sb, "batch size", batchSize, other.batchSize);
            diff(sb, "block size", blockSize, other.blockSize);
            diff(sb, "keepBest", keepBest, other.keepBest);
            diff(sb, "training samples", trainSize, other.trainSize);
            diff(sb, "test samples", testSize, other.testSize);
            if (sb.length() == 0) {
                diff(sb, "data fingerprint", Long.toHexString(dataFingerprint), Long.toHexString(other.dataFingerprint));
            }
            return sb.toString();
        }

        private static void diff(StringBuilder sb, String what, Object a, Object b) {
            if (!a.equals(b)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(what).append(' ').append(a).append(" (checkpoint) vs ").append(b);
            }
        }
    }

    /**
     * Checks every invariant; see the class description.
     *
     * @throws IllegalArgumentException naming the first field that is inconsistent
     */
    public TrainingState {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(optimizer, "optimizer");
        history = List.copyOf(history);
        blockHistory = List.copyOf(blockHistory);
        int n = settings.trainSize();
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
        }
        if (position < 0 || position > n) {
            throw new IllegalArgumentException("position " + position + " is outside the epoch's 0.." + n + " samples");
        }
        if (position != n && position % settings.batchSize() != 0) {
            throw new IllegalArgumentException("position " + position + " is not at a step boundary (batch size " + settings.batchSize() + ")");
        }
        if (order.length != n) {
            throw new IllegalArgumentException("the order has " + order.length + " entries, the training set " + n + " samples");
        }
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int k = order[i];
            if (k < 0 || k >= n || seen[k]) {
                throw new IllegalArgumentException("the order is not a permutation of 0.." + (n - 1) + ": entry " + i + " is " + k
                        + (k >= 0 && k < n ? ", a repeat" : ""));
            }
            seen[k] = true;
        }
        if (samplesSeen != (long) (epoch - 1) * n + position) {
            throw new IllegalArgumentException("samplesSeen is " + samplesSeen + ", but epoch " + epoch + " at position " + position
                    + " of " + n + " means " + ((long) (epoch - 1) * n + position));
        }
        int finished = position == n ? epoch : epoch - 1;
        if (history.size() != finished) {
            throw new IllegalArgumentException("the history has " + history.size() + " epochs, expected " + finished);
        }
        for (int i = 0; i < history.size(); i++) {
            EpochStats e = history.get(i);
            if (e.epoch() != i + 1) {
                throw new IllegalArgumentException("history entry " + i + " is epoch " + e.epoch() + ", expected " + (i + 1));
            }
            if (!Double.isFinite(e.trainLoss()) || !(e.seconds() >= 0) || Double.isInfinite(e.seconds())) {
                throw new IllegalArgumentException("history entry " + i + " has a non-finite loss or time: " + e);
            }
            if (settings.testSize() > 0 && !(e.testAccuracy() >= 0 && e.testAccuracy() <= 1)) {
                throw new IllegalArgumentException("history entry " + i + " has test accuracy " + e.testAccuracy() + ", expected 0..1");
            }
        }
        if (!Double.isFinite(epochLoss) || !Double.isFinite(blockLoss) || epochNanos < 0 || trainNanos < 0) {
            throw new IllegalArgumentException("running sums must be finite and times >= 0: epoch loss " + epochLoss + ", block loss "
                    + blockLoss + ", epoch ns " + epochNanos + ", training ns " + trainNanos);
        }
        if (blockCount < 0 || blockCount >= settings.blockSize()) {
            throw new IllegalArgumentException("the open block has " + blockCount + " samples, expected 0.." + (settings.blockSize() - 1));
        }
        long sum = 0;
        for (int i = 0; i < blockHistory.size(); i++) {
            BlockStats b = blockHistory.get(i);
            sum += b.samples();
            if (b.block() != i + 1 || b.samples() < settings.blockSize() || b.samplesSeen() != sum || !Double.isFinite(b.meanLoss())) {
                throw new IllegalArgumentException("block entry " + i + " is inconsistent: " + b);
            }
        }
        if (sum + blockCount != samplesSeen) {
            throw new IllegalArgumentException("blocks cover " + sum + " samples and the open block " + blockCount + ", but "
                    + samplesSeen + " samples were trained");
        }
        checkFinite("parameters", parameters, null);
        for (Map.Entry<String, float[][]> e : optimizer.slots().entrySet()) {
            String what = "optimizer slot '" + e.getKey() + "'";
            checkFinite(what, e.getValue(), e.getValue().length < parameters.length ? null : parameters);
            checkTrainableSubset(what, e.getValue(), parameters);
        }
        if (bestEpoch < 0 || bestEpoch > history.size()) {
            throw new IllegalArgumentException("best epoch " + bestEpoch + " is not one of the " + history.size() + " finished epochs");
        }
        if (!history.isEmpty() && bestEpoch == 0) {
            throw new IllegalArgumentException("no best epoch after " + history.size() + " finished epochs");
        }
        if (settings.testSize() == 0) {
            if (bestEpoch != history.size() || !Double.isNaN(bestAccuracy)) {
                throw new IllegalArgumentException("without a test set the best epoch is the last one and its accuracy NaN, found epoch "
                        + bestEpoch + ", accuracy " + bestAccuracy);
            }
        } else if (bestEpoch > 0 && Double.compare(bestAccuracy, history.get(bestEpoch - 1).testAccuracy()) != 0) {
            throw new IllegalArgumentException("best accuracy " + bestAccuracy + " is not epoch " + bestEpoch + "'s "
                    + history.get(bestEpoch - 1).testAccuracy());
        } else if (bestEpoch == 0 && !Double.isNaN(bestAccuracy)) {
            throw new IllegalArgumentException("a best accuracy " + bestAccuracy + " before any epoch finished");
        }
        boolean wantBest = settings.keepBest() && bestEpoch > 0;
        if (wantBest != (best != null)) {
            throw new IllegalArgumentException(wantBest ? "the best epoch's parameters are missing" : "unexpected best-epoch parameters");
        }
        if (best != null) {
            checkFinite("best parameters", best, parameters);
        }
    }

    /**
     * With frozen parameters the optimizer has buffers for the trainable ones only: its arrays must
     * fit the parameters in order, skipping some (which ones is checked on resume, against the model).
     */
    private static void checkTrainableSubset(String what, float[][] arrays, float[][] parameters) {
        int p = 0;
        for (int i = 0; i < arrays.length; i++) {
            while (p < parameters.length && parameters[p].length != arrays[i].length) {
                p++;
            }
            if (p == parameters.length) {
                throw new IllegalArgumentException(what + ": array " + i + " (" + arrays[i].length
                        + " values) fits no parameter after the previous arrays' ones");
            }
            p++;
        }
    }

    private static void checkFinite(String what, float[][] arrays, float[][] sizesOf) {
        if (sizesOf != null && arrays.length != sizesOf.length) {
            throw new IllegalArgumentException(what + ": " + arrays.length + " arrays, expected " + sizesOf.length);
        }
        for (int i = 0; i < arrays.length; i++) {
            float[] a = Objects.requireNonNull(arrays[i], what);
            if (sizesOf != null && a.length != sizesOf[i].length) {
                throw new IllegalArgumentException(what + " array " + i + ": " + a.length + " values, expected " + sizesOf[i].length);
            }
            for (int k = 0; k < a.length; k++) {
                if (!Float.isFinite(a[k])) {
                    throw new IllegalArgumentException(what + " array " + i + " value " + k + " is " + a[k]);
                }
            }
        }
    }

    /** @return the number of blocks reported so far */
    public long blocks() {
        return blockHistory.size();
    }

    /** @return whether the current epoch is finished (evaluated and reported) */
    public boolean epochFinished() {
        return position == settings.trainSize();
    }

    @Override
    public String toString() {
        return "TrainingState[epoch " + epoch + ", position " + position + " of " + settings.trainSize() + ", " + samplesSeen
                + " samples trained, " + history.size() + " epoch(s) finished, best epoch " + bestEpoch + ", optimizer "
                + optimizer.type() + " after " + optimizer.steps() + " steps]";
    }
}
