package io.github.cnn4j.train;

import java.util.List;

/**
 * Reduce-on-plateau (Keras' {@code ReduceLROnPlateau}, PyTorch's {@code ReduceLROnPlateau}): the
 * rate is multiplied by {@code factor} when the monitored loss has not improved for
 * {@code patience} epochs, never going below {@code minRate}.
 *
 * <p>The monitored loss is the validation loss ({@link EpochStats#validationLoss()}) when the
 * trainer has a validation split, otherwise the training loss; never the test loss. An epoch
 * improves when its loss is below the best so far by more than a relative {@code 1e-4}. After a cut
 * the count of epochs without improvement starts again from zero.
 *
 * <p>The rate is recomputed from the history every epoch, so no state is kept here.
 */
public final class ReduceOnPlateau implements LearningRateSchedule {
    private static final double THRESHOLD = 1e-4;

    private final int patience;
    private final double factor;
    private final double minRate;

    /**
     * @param patience epochs without improvement before a cut, at least 1
     * @param factor   multiplier per cut, in (0, 1)
     * @param minRate  lower bound of the rate, finite and &gt; 0
     */
    public ReduceOnPlateau(int patience, double factor, double minRate) {
        if (patience < 1) {
            throw new IllegalArgumentException("reduce-on-plateau needs patience >= 1, got " + patience);
        }
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("reduce-on-plateau factor must be in (0, 1), got " + factor);
        }
        if (!(minRate > 0) || Double.isInfinite(minRate)) {
            throw new IllegalArgumentException("reduce-on-plateau minRate must be a finite number > 0, got " + minRate);
        }
        this.patience = patience;
        this.factor = factor;
        this.minRate = minRate;
    }

    /**
     * @param e a completed epoch
     * @return the loss this schedule watches: validation loss if there is one, else training loss
     */
    static double monitored(EpochStats e) {
        return Double.isFinite(e.validationLoss()) ? e.validationLoss() : e.trainLoss();
    }

    @Override
    public double rate(int epoch, double baseRate, List<EpochStats> history) {
        double rate = baseRate;
        double best = Double.POSITIVE_INFINITY;
        int bad = 0;
        for (EpochStats e : history) {
            double loss = monitored(e);
            if (loss < best * (1 - THRESHOLD)) {
                best = loss;
                bad = 0;
            } else if (++bad >= patience) {
                rate = Math.min(rate, Math.max(rate * factor, minRate));
                bad = 0;
            }
        }
        return rate;
    }

    @Override
    public String toString() {
        return "plateau(patience " + patience + ", x" + factor + ", min " + minRate + ")";
    }
}
