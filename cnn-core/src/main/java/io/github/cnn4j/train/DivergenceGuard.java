package io.github.cnn4j.train;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.model.Workspace;
import io.github.cnn4j.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * Decides when a training run has diverged, and says where in one line: the epoch and step, the
 * layer (or parameter) and the value. It stops a run on any of:
 * <ul>
 *   <li><b>a non-finite loss</b> of a step, before the step's update; the batch's forward pass is then
 *       run again, sample by sample, to name the first parameter, input or layer output that is not finite;</li>
 *   <li><b>a loss past {@link #maxLoss()}</b>: a step whose mean per-sample loss exceeds it
 *       (default {@value #DEFAULT_MAX_LOSS}; cross-entropy never reaches it, as it clips at about 20.7);</li>
 *   <li><b>a non-finite weight, or one past {@link #maxWeight()}</b> in absolute value (default
 *       {@value #DEFAULT_MAX_WEIGHT}), checked after every block, at the end of every epoch and before
 *       every checkpoint;</li>
 *   <li><b>a loss stuck at the clipping bound</b>: a block of at least {@link #saturationSamples()}
 *       samples (or, at its end, a whole epoch of at least as many) whose mean loss is at least
 *       {@link #saturation()} (default {@value #DEFAULT_SATURATION}) of the loss's
 *       {@link Loss#maxSampleLoss() ceiling}. A network whose softmax has saturated gives almost every
 *       sample's label a probability under cross-entropy's clip of 1e-9, so the mean sits near
 *       {@code (1 - accuracy) * 20.7}; an untrained 10-class network starts near {@code ln 10 = 2.3}.</li>
 * </ul>
 * The defaults never fire on the paper's six models, the modern network or the residual network at
 * their learning rates; {@link #nonFiniteOnly()} keeps only the checks for NaN and infinity.
 *
 * <p>Immutable; the {@code with...} methods return changed copies. The {@code check...} methods
 * throw {@link TrainingDivergedException}; the {@link Trainer} calls them at the points named above,
 * and a distributed trainer can call them on the driver at the same points.
 */
public final class DivergenceGuard {
    /** Default bound on the absolute value of every weight. */
    public static final double DEFAULT_MAX_WEIGHT = 1e4;
    /** Default bound on a step's mean per-sample loss. */
    public static final double DEFAULT_MAX_LOSS = 1e4;
    /** Default share of the loss's ceiling at which a block's mean loss counts as stuck there. */
    public static final double DEFAULT_SATURATION = 0.5;
    /** Default least number of samples the saturation check averages over. */
    public static final int DEFAULT_SATURATION_SAMPLES = 100;

    private static final DivergenceGuard DEFAULTS = new DivergenceGuard(DEFAULT_MAX_WEIGHT, DEFAULT_MAX_LOSS, DEFAULT_SATURATION,
            DEFAULT_SATURATION_SAMPLES);
    private static final DivergenceGuard NON_FINITE_ONLY = new DivergenceGuard(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            0, DEFAULT_SATURATION_SAMPLES);

    private final double maxWeight;
    private final double maxLoss;
    private final double saturation;
    private final int saturationSamples;

    private DivergenceGuard(double maxWeight, double maxLoss, double saturation, int saturationSamples) {
        if (!(maxWeight > 0) || !(maxLoss > 0)) {
            throw new IllegalArgumentException("the weight and loss bounds must be > 0 (infinity: no bound), got " + maxWeight
                    + " and " + maxLoss);
        }
        if (!(saturation >= 0 && saturation <= 1) || saturationSamples < 1) {
            throw new IllegalArgumentException("saturation must be in [0, 1] (0: off) over at least 1 sample, got " + saturation
                    + " over " + saturationSamples);
        }
        this.maxWeight = maxWeight;
        this.maxLoss = maxLoss;
        this.saturation = saturation;
        this.saturationSamples = saturationSamples;
    }

    /** @return the default guard: non-finite values, the weight and loss bounds and the saturation check */
    public static DivergenceGuard defaults() {
        return DEFAULTS;
    }

    /** @return a guard that stops only on NaN or infinite losses, outputs and weights */
    public static DivergenceGuard nonFiniteOnly() {
        return NON_FINITE_ONLY;
    }

    /** @param bound largest allowed absolute weight, > 0 (infinity: none) @return a copy with this bound */
    public DivergenceGuard withMaxWeight(double bound) {
        return new DivergenceGuard(bound, maxLoss, saturation, saturationSamples);
    }

    /** @param bound largest allowed mean per-sample loss of a step, > 0 (infinity: none) @return a copy with this bound */
    public DivergenceGuard withMaxLoss(double bound) {
        return new DivergenceGuard(maxWeight, bound, saturation, saturationSamples);
    }

    /**
     * @param fraction share of the loss's ceiling, in (0, 1], at which a mean loss counts as stuck at the
     *                 clipping bound; 0 turns the check off
     * @param samples  the least number of samples (a block, or an epoch) the mean is taken over, at least 1
     * @return a copy with this check
     */
    public DivergenceGuard withSaturation(double fraction, int samples) {
        return new DivergenceGuard(maxWeight, maxLoss, fraction, samples);
    }

    /** @return the bound on the absolute value of a weight */
    public double maxWeight() {
        return maxWeight;
    }

    /** @return the bound on a step's mean per-sample loss */
    public double maxLoss() {
        return maxLoss;
    }

    /** @return share of the loss's ceiling that counts as stuck there (0: not checked) */
    public double saturation() {
        return saturation;
    }

    /** @return the least number of samples the saturation check averages over */
    public int saturationSamples() {
        return saturationSamples;
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
     * Checks whether a stretch of training (a block, or a whole epoch) had its loss stuck at the
     * loss's clipping bound; stretches shorter than {@link #saturationSamples()} and losses without a
     * ceiling are not checked.
     *
     * @param model   the model (to name its largest weight in the report)
     * @param loss    the loss
     * @param lossSum sum of the stretch's per-sample losses
     * @param count   samples in the stretch
     * @param what    the stretch, e.g. {@code "block 3"}
     * @param epoch   the epoch, from 1
     * @param step    the stretch's last step
     * @throws TrainingDivergedException when the mean loss is at least {@link #saturation()} of the ceiling
     */
    public void checkSaturation(Sequential model, Loss loss, double lossSum, int count, String what, int epoch, int step) {
        double ceiling = loss.maxSampleLoss();
        double mean = lossSum / count;
        if (saturation == 0 || count < saturationSamples || !Double.isFinite(ceiling) || mean < saturation * ceiling) {
            return;
        }
        throw new TrainingDivergedException(String.format(Locale.ROOT, "loss stuck at the clipping bound: mean loss %.4f per sample "
                + "over the %d samples of %s, ending at epoch %d, step %d, is at least %s of %s's ceiling %.4f (the output is saturated "
                + "and confidently wrong); %s", mean, count, what, epoch, step, saturation, loss.name(), ceiling, largestWeight(model)),
                epoch, step, -1, mean);
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
