package io.github.cnn4j.train;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.model.Workspace;
import io.github.cnn4j.tensor.Tensor;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Decides when a training run has diverged, and says where in one line: the epoch and step, the
 * layer (or parameter) and the value. It stops a run on any of:
 * <ul>
 *   <li><b>a non-finite loss</b> of a step, before the step's update; the batch's forward pass is then
 *       run again, sample by sample, to name the first parameter, input or layer output that is not finite;</li>
 *   <li><b>a loss past a bound</b>: a step whose mean per-sample loss exceeds {@link #maxLoss()}
 *       (default {@value #DEFAULT_MAX_LOSS}; cross-entropy never gets there, as it clips at about 20.7),
 *       checked before the step's update;</li>
 *   <li><b>a weight past a bound</b>: a non-finite weight, or one whose absolute value exceeds
 *       {@link #maxWeight()} (default {@value #DEFAULT_MAX_WEIGHT}), checked after every block, at the
 *       end of every epoch and before every checkpoint;</li>
 *   <li><b>a loss stuck at the clipping bound</b>: a block of at least {@link #clippedSamples()} samples
 *       (or, at its end, a whole epoch of at least as many) whose mean loss is at least
 *       {@link #clippedFraction()} (default {@value #DEFAULT_CLIPPED_FRACTION}) of the loss's
 *       {@link Loss#maxSampleLoss() ceiling}. A network whose softmax has saturated gives almost every
 *       sample's label a probability under cross-entropy's clip of 1e-9, so its mean loss sits near
 *       {@code (1 - accuracy) * 20.7};</li>
 *   <li><b>a loss worse than guessing</b>: every block of the last {@link #worseThanGuessSamples()}
 *       samples or more (default {@value #DEFAULT_WORSE_THAN_GUESS_SAMPLES}; or, at its end, a whole epoch
 *       of at least as many) has a mean loss above the loss of a {@link Loss#uniformGuessLoss uniform guess}
 *       ({@code ln 10 = 2.303} for ten classes) by more than {@link #worseThanGuessMargin()} (default
 *       {@value #DEFAULT_WORSE_THAN_GUESS_MARGIN}, i.e. 10%). An untrained network starts near the uniform
 *       guess and a healthy one falls below it within its first few hundred samples; a learning rate
 *       so large that every step overshoots keeps it above (paper model A at a learning rate of 2: 2.7 to
 *       3.0 for 60,000 samples).</li>
 * </ul>
 * The two loss-level checks read the block and epoch losses that the trainer reports and checkpoints,
 * so a resumed run stops exactly where the uninterrupted one would. The defaults never fired in one
 * epoch of each of the paper's six models and in the modern network's runs (see docs/reliability.md);
 * {@link #nonFiniteOnly()} keeps only the checks for NaN and infinity.
 *
 * <p>Immutable; the {@code with...} methods return changed copies. The {@code check...} methods
 * throw {@link TrainingDivergedException}; the {@link Trainer} calls them at the points named above,
 * and a distributed trainer can call them on its driver at the same points.
 */
public final class DivergenceGuard {
    /** Default bound on the absolute value of every weight. */
    public static final double DEFAULT_MAX_WEIGHT = 1e4;
    /** Default bound on a step's mean per-sample loss. */
    public static final double DEFAULT_MAX_LOSS = 1e4;
    /** Default share of the loss's ceiling at which a mean loss counts as stuck at the clipping bound. */
    public static final double DEFAULT_CLIPPED_FRACTION = 0.5;
    /** Default least number of samples (a block or an epoch) the clipping check averages over. */
    public static final int DEFAULT_CLIPPED_SAMPLES = 100;
    /** Default relative margin above the uniform guess's loss that counts as worse than guessing. */
    public static final double DEFAULT_WORSE_THAN_GUESS_MARGIN = 0.1;
    /** Default number of samples whose blocks must all be worse than guessing. */
    public static final int DEFAULT_WORSE_THAN_GUESS_SAMPLES = 2000;

    private static final DivergenceGuard DEFAULTS = new DivergenceGuard(DEFAULT_MAX_WEIGHT, DEFAULT_MAX_LOSS, DEFAULT_CLIPPED_FRACTION,
            DEFAULT_CLIPPED_SAMPLES, DEFAULT_WORSE_THAN_GUESS_MARGIN, DEFAULT_WORSE_THAN_GUESS_SAMPLES);
    private static final DivergenceGuard NON_FINITE_ONLY = new DivergenceGuard(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            0, DEFAULT_CLIPPED_SAMPLES, Double.POSITIVE_INFINITY, DEFAULT_WORSE_THAN_GUESS_SAMPLES);

    private final double maxWeight;
    private final double maxLoss;
    private final double clippedFraction;
    private final int clippedSamples;
    private final double guessMargin;
    private final int guessSamples;

    private DivergenceGuard(double maxWeight, double maxLoss, double clippedFraction, int clippedSamples, double guessMargin,
                            int guessSamples) {
        if (!(maxWeight > 0) || !(maxLoss > 0)) {
            throw new IllegalArgumentException("the weight and loss bounds must be > 0 (infinity: no bound), got " + maxWeight
                    + " and " + maxLoss);
        }
        if (!(clippedFraction >= 0 && clippedFraction <= 1) || clippedSamples < 1) {
            throw new IllegalArgumentException("the clipped-loss share must be in [0, 1] (0: off) over at least 1 sample, got "
                    + clippedFraction + " over " + clippedSamples);
        }
        if (!(guessMargin >= 0) || guessSamples < 1) {
            throw new IllegalArgumentException("the worse-than-guessing margin must be >= 0 (infinity: off) over at least 1 sample, got "
                    + guessMargin + " over " + guessSamples);
        }
        this.maxWeight = maxWeight;
        this.maxLoss = maxLoss;
        this.clippedFraction = clippedFraction;
        this.clippedSamples = clippedSamples;
        this.guessMargin = guessMargin;
        this.guessSamples = guessSamples;
    }

    /** @return the default guard: every check, with the default bounds */
    public static DivergenceGuard defaults() {
        return DEFAULTS;
    }

    /** @return a guard that stops only on NaN or infinite losses, outputs and weights */
    public static DivergenceGuard nonFiniteOnly() {
        return NON_FINITE_ONLY;
    }

    /** @param bound largest allowed absolute weight, > 0 (infinity: none) @return a copy with this bound */
    public DivergenceGuard withMaxWeight(double bound) {
        return new DivergenceGuard(bound, maxLoss, clippedFraction, clippedSamples, guessMargin, guessSamples);
    }

    /** @param bound largest allowed mean per-sample loss of a step, > 0 (infinity: none) @return a copy with this bound */
    public DivergenceGuard withMaxLoss(double bound) {
        return new DivergenceGuard(maxWeight, bound, clippedFraction, clippedSamples, guessMargin, guessSamples);
    }

    /**
     * @param fraction share of the loss's ceiling, in (0, 1], at which a mean loss counts as stuck at the
     *                 clipping bound; 0 turns the check off
     * @param samples  the least number of samples (a block, or an epoch) the mean is taken over, at least 1
     * @return a copy with this check
     */
    public DivergenceGuard withClippedLoss(double fraction, int samples) {
        return new DivergenceGuard(maxWeight, maxLoss, fraction, samples, guessMargin, guessSamples);
    }

    /**
     * @param margin  relative margin, >= 0, above the uniform guess's loss that counts as worse than
     *                guessing; infinity turns the check off
     * @param samples how many of the latest samples (whole blocks) must all be worse, or the least size of an
     *                epoch that is worse as a whole; at least 1
     * @return a copy with this check
     */
    public DivergenceGuard withWorseThanGuess(double margin, int samples) {
        return new DivergenceGuard(maxWeight, maxLoss, clippedFraction, clippedSamples, margin, samples);
    }

    /** @return the bound on the absolute value of a weight */
    public double maxWeight() {
        return maxWeight;
    }

    /** @return the bound on a step's mean per-sample loss */
    public double maxLoss() {
        return maxLoss;
    }

    /** @return share of the loss's ceiling that counts as stuck at the clipping bound (0: not checked) */
    public double clippedFraction() {
        return clippedFraction;
    }

    /** @return the least number of samples the clipping check averages over */
    public int clippedSamples() {
        return clippedSamples;
    }

    /** @return relative margin above the uniform guess's loss that counts as worse than guessing (infinity: not checked) */
    public double worseThanGuessMargin() {
        return guessMargin;
    }

    /** @return how many of the latest samples must all be worse than guessing */
    public int worseThanGuessSamples() {
        return guessSamples;
    }

    /**
     * Checks a step's loss before its update is applied.
     *
     * @param step    the step that computed it (to rerun the batch's samples for the diagnosis)
     * @param samples the epoch's samples, in its order
     * @param order   the epoch's order (indices into the training set, to name a sample)
     * @param lossSum the batch's loss sum
     * @param count   samples in the batch
     * @param epoch   the epoch, from 1
     * @param index   the step's index in the epoch, from 0
     * @param from    the batch's first position in the epoch's order
     * @throws TrainingDivergedException when the loss is not finite or its mean is past the loss bound
     */
    public void checkStep(GradientStep step, Dataset samples, int[] order, double lossSum, int count, int epoch, int index, int from) {
        if (!Double.isFinite(lossSum)) {
            throw locate(step, samples, order, lossSum, epoch, index, from, count);
        }
        double mean = lossSum / count;
        if (mean > maxLoss) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "mean loss %s per sample is past the loss bound %s at epoch %d, "
                    + "step %d (samples %d..%d of the epoch's order); parameters were not updated by this step",
                    mean, maxLoss, epoch, index, from, from + count - 1), epoch, index, -1, mean);
        }
    }

    /**
     * Checks every parameter: finite, and not past the weight bound.
     *
     * @param model the model
     * @param epoch the epoch, from 1
     * @param step  the last step whose update the parameters hold
     * @param since which steps may have set a bad value, e.g. {@code "the 250 samples before it"}
     * @throws TrainingDivergedException naming the first non-finite value, else the first one past the bound
     */
    public void checkParameters(Sequential model, int epoch, int step, String since) {
        List<Layer> layers = model.layers();
        int boundLayer = -1;
        Parameter boundParam = null;
        int boundIndex = -1;
        for (int li = 0; li < layers.size(); li++) {
            for (Parameter p : layers.get(li).parameters()) {
                float[] v = p.value();
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        throw new TrainingDivergedException(String.format(Locale.ROOT,
                                "parameter %s of layer %d %s became non-finite: value %d is %s, found after epoch %d, step %d "
                                        + "(set by that step or one of %s)", p, li, layers.get(li).name(), i, v[i], epoch, step, since),
                                epoch, step, li, v[i]);
                    }
                    if (boundParam == null && Math.abs(v[i]) > maxWeight) {
                        boundLayer = li;
                        boundParam = p;
                        boundIndex = i;
                    }
                }
            }
        }
        if (boundParam != null) {
            float x = boundParam.value()[boundIndex];
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "parameter %s of layer %d %s grew past the weight bound %s: value %d is %s, found after epoch %d, step %d "
                            + "(set by that step or one of %s)", boundParam, boundLayer, layers.get(boundLayer).name(), maxWeight,
                    boundIndex, x, epoch, step, since), epoch, step, boundLayer, x);
        }
    }

    /**
     * Checks a block just completed, before it is reported: stuck at the clipping bound, or worse than
     * guessing for the latest {@link #worseThanGuessSamples()} samples.
     *
     * @param model  the model (for its number of classes, and to name its largest weight)
     * @param loss   the loss
     * @param block  the block
     * @param before the blocks reported before it, in order
     * @param epoch  the epoch, from 1
     * @param step   the block's last step
     * @throws TrainingDivergedException when either check fires
     */
    public void checkBlock(Sequential model, Loss loss, BlockStats block, List<BlockStats> before, int epoch, int step) {
        String what = "block " + block.block();
        checkClipped(model, loss, block.meanLoss(), block.samples(), what, epoch, step);
        double limit = guessLimit(model, loss);
        if (!(block.meanLoss() > limit)) {
            return;
        }
        long samples = block.samples();
        long first = block.block();
        for (int i = before.size() - 1; i >= 0 && samples < guessSamples; i--) {
            BlockStats b = before.get(i);
            if (!(b.meanLoss() > limit)) {
                return;
            }
            samples += b.samples();
            first = b.block();
        }
        if (samples >= guessSamples) {
            throw worseThanGuess(model, loss, block.meanLoss(), samples, "every one of blocks " + first + ".." + block.block(), epoch, step);
        }
    }

    /**
     * Checks a finished epoch as a whole, before it is evaluated: stuck at the clipping bound, or worse
     * than guessing (for epochs of at least {@link #clippedSamples()} or {@link #worseThanGuessSamples()} samples).
     *
     * @param model   the model
     * @param loss    the loss
     * @param lossSum the sum of the epoch's per-sample training losses
     * @param samples samples in the epoch
     * @param epoch   the epoch, from 1
     * @param step    its last step
     * @throws TrainingDivergedException when either check fires
     */
    public void checkEpoch(Sequential model, Loss loss, double lossSum, int samples, int epoch, int step) {
        double mean = lossSum / samples;
        checkClipped(model, loss, mean, samples, "epoch " + epoch, epoch, step);
        if (samples >= guessSamples && mean > guessLimit(model, loss)) {
            throw worseThanGuess(model, loss, mean, samples, "epoch " + epoch + " as a whole", epoch, step);
        }
    }

    private void checkClipped(Sequential model, Loss loss, double mean, int count, String what, int epoch, int step) {
        double ceiling = loss.maxSampleLoss();
        if (clippedFraction == 0 || count < clippedSamples || !Double.isFinite(ceiling) || mean < clippedFraction * ceiling) {
            return;
        }
        throw new TrainingDivergedException(String.format(Locale.ROOT, "loss stuck at the clipping bound: mean loss %.4f per sample "
                + "over the %d samples of %s, ending at epoch %d, step %d, is at least %s of %s's ceiling %.4f (the output is saturated "
                + "and confidently wrong); %s", mean, count, what, epoch, step, clippedFraction, loss.name(), ceiling, largestWeight(model)),
                epoch, step, -1, mean);
    }

    /** @return the mean loss above which training is worse than guessing (infinity when not checked) */
    private double guessLimit(Sequential model, Loss loss) {
        double guess = loss.uniformGuessLoss(model.outputShape().size());
        return Double.isNaN(guess) || Double.isInfinite(guessMargin) ? Double.POSITIVE_INFINITY : guess * (1 + guessMargin);
    }

    private TrainingDivergedException worseThanGuess(Sequential model, Loss loss, double mean, long samples, String what, int epoch,
                                                     int step) {
        int classes = model.outputShape().size();
        return new TrainingDivergedException(String.format(Locale.ROOT, "loss worse than guessing: mean loss above %.4f in %s (%d samples "
                + "ending at epoch %d, step %d; latest mean %.4f), more than %s%% above %s's %.4f for a uniform guess over %d classes: the "
                + "learning rate may be too large; %s", guessLimit(model, loss), what, samples, epoch, step, mean,
                BigDecimal.valueOf(guessMargin).movePointRight(2).stripTrailingZeros().toPlainString(), loss.name(),
                loss.uniformGuessLoss(classes), classes, largestWeight(model)), epoch, step, -1, mean);
    }

    private static String largestWeight(Sequential model) {
        List<Layer> layers = model.layers();
        String found = "the model has no weights";
        float largest = -1;
        for (int li = 0; li < layers.size(); li++) {
            for (Parameter p : layers.get(li).parameters()) {
                float[] v = p.value();
                for (int i = 0; i < v.length; i++) {
                    if (Math.abs(v[i]) > largest) {
                        largest = Math.abs(v[i]);
                        found = String.format(Locale.ROOT, "largest weight: parameter %s of layer %d %s, value %d is %s", p, li,
                                layers.get(li).name(), i, v[i]);
                    }
                }
            }
        }
        return found;
    }

    /** Names the first non-finite parameter, input or layer output behind a non-finite loss. */
    private static TrainingDivergedException locate(GradientStep gs, Dataset samples, int[] order, double loss, int epoch, int step,
                                                    int from, int bs) {
        String where = String.format(Locale.ROOT, "loss is %s at epoch %d, step %d (samples %d..%d of the epoch's order); parameters "
                + "were not updated by this step", loss, epoch, step, from, from + bs - 1);
        Sequential model = gs.model();
        List<Layer> layers = model.layers();
        for (int li = 0; li < layers.size(); li++) {
            for (Parameter p : layers.get(li).parameters()) {
                float[] v = p.value();
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        return new TrainingDivergedException(String.format(Locale.ROOT, "%s; first non-finite value: parameter %s of "
                                + "layer %d %s, value %d is %s", where, p, li, layers.get(li).name(), i, v[i]), epoch, step, li, v[i]);
                    }
                }
            }
        }
        for (int k = 0; k < bs; k++) {
            int pos = from + k;
            Workspace ws = gs.sample(samples, pos, epoch, pos);
            String sample = "training sample " + order[pos] + " (position " + pos + " of the epoch's order)";
            int bad = firstNonFinite(ws.input());
            if (bad >= 0) {
                float x = ws.input().data()[bad];
                return new TrainingDivergedException(String.format(Locale.ROOT, "%s; first non-finite value: input value %d of %s is %s",
                        where, bad, sample, x), epoch, step, -1, x);
            }
            model.forward(ws, 1, true);
            for (int li = 0; li < layers.size(); li++) {
                Tensor out = ws.activation(li);
                bad = firstNonFinite(out);
                if (bad >= 0) {
                    float x = out.data()[bad];
                    return new TrainingDivergedException(String.format(Locale.ROOT, "%s; first non-finite value: output of layer %d %s "
                            + "for %s, value %d of %d is %s", where, li, layers.get(li).name(), sample, bad, out.shape().size(), x),
                            epoch, step, li, x);
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
}
