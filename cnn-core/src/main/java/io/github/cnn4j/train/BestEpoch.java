package io.github.cnn4j.train;

import io.github.cnn4j.layer.Parameter;
import java.util.List;

/**
 * Picks the best epoch and, with keep-best, remembers its values. An epoch is better when its
 * accuracy (validation accuracy with a validation split, else test accuracy) is higher, or, when a
 * tie-break loss is given (the validation loss), equal with a loss lower by at least
 * {@value #LOSS_TIE_BREAK} relatively. Without any accuracy every epoch counts as the best so far.
 *
 * <p>The best epoch and its accuracy and values are part of a {@link TrainingState}; the tie-break
 * loss is not (a validation split is never checkpointed).
 */
public final class BestEpoch {
    /** With equal accuracy, an epoch is better only if its loss is lower by this relative margin. */
    public static final double LOSS_TIE_BREAK = 1e-3;

    private final List<Parameter> saved;
    private final boolean keep;
    private int epoch;
    private double accuracy = Double.NaN;
    private double loss = Double.NaN;
    private float[][] values;

    /**
     * @param saved the parameters (and batch-norm state) whose values keep-best snapshots and restores
     * @param keep  whether to snapshot the best epoch's values ({@link #restore} then puts them back)
     */
    public BestEpoch(List<Parameter> saved, boolean keep) {
        this.saved = List.copyOf(saved);
        this.keep = keep;
    }

    /**
     * Continues from a checkpoint's best epoch.
     *
     * @param epoch    the best epoch (0: none yet)
     * @param accuracy its accuracy
     * @param values   its values (copied), or null when not kept
     */
    public void resume(int epoch, double accuracy, float[][] values) {
        this.epoch = epoch;
        this.accuracy = accuracy;
        this.loss = Double.NaN;
        this.values = values == null ? null : copy(values);
    }

    /**
     * Considers a finished, evaluated epoch.
     *
     * @param e            the epoch, from 1
     * @param acc          its accuracy, or NaN when there is none to compare
     * @param tieBreakLoss its loss for ties (the validation loss), or NaN for no tie-break
     * @return whether it is the best epoch so far (then its values were snapshot when keeping)
     */
    public boolean offer(int e, double acc, double tieBreakLoss) {
        if (Double.isNaN(acc)) {
            epoch = e;
            return true;
        }
        boolean improved = epoch == 0 || acc > accuracy || (acc == accuracy && tieBreakLoss < loss * (1 - LOSS_TIE_BREAK));
        if (improved) {
            accuracy = acc;
            loss = tieBreakLoss;
            epoch = e;
            if (keep) {
                values = snapshot(saved);
            }
        }
        return improved;
    }

    /** Puts the best epoch's values back into the parameters, when they were kept. */
    public void restore() {
        if (keep && values != null) {
            for (int i = 0; i < saved.size(); i++) {
                saved.get(i).set(values[i]);
            }
        }
    }

    /** @return the best epoch, from 1 (0 before the first epoch ends) */
    public int epoch() {
        return epoch;
    }

    /** @return its accuracy (NaN without one) */
    public double accuracy() {
        return accuracy;
    }

    /** @return a copy of its kept values, or null */
    public float[][] values() {
        return values == null ? null : copy(values);
    }

    static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    static float[][] snapshot(List<Parameter> params) {
        float[][] s = new float[params.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = params.get(i).value().clone();
        }
        return s;
    }
}
