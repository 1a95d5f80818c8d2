package io.github.cnn4j.train;

import java.util.List;

/**
 * Cosine annealing per epoch (Loshchilov and Hutter, without restarts; PyTorch's
 * {@code CosineAnnealingLR} stepped once per epoch):
 * <pre>
 *   rate(epoch) = min + (base - min) * (1 + cos(pi * (epoch - 1) / epochs)) / 2,   min = minFactor * base
 * </pre>
 * The first epoch runs at the base rate; epochs after {@code epochs} stay at the last epoch's rate.
 */
public final class CosineAnnealing implements LearningRateSchedule {
    private final int epochs;
    private final double minFactor;

    /**
     * @param epochs    length of the half cosine, usually the number of training epochs, at least 1
     * @param minFactor the rate approached at the end, as a fraction of the base rate, in [0, 1)
     */
    public CosineAnnealing(int epochs, double minFactor) {
        if (epochs < 1) {
            throw new IllegalArgumentException("cosine annealing needs epochs >= 1, got " + epochs);
        }
        if (!(minFactor >= 0 && minFactor < 1)) {
            throw new IllegalArgumentException("cosine annealing minFactor must be in [0, 1), got " + minFactor);
        }
        this.epochs = epochs;
        this.minFactor = minFactor;
    }

    @Override
    public double rate(int epoch, double baseRate, List<EpochStats> history) {
        int e = Math.min(epoch, epochs) - 1;
        double min = minFactor * baseRate;
        return min + (baseRate - min) * (1 + Math.cos(Math.PI * e / epochs)) / 2;
    }

    @Override
    public String toString() {
        return "cosine(" + epochs + " epochs, min x" + minFactor + ")";
    }
}
