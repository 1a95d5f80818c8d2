package io.github.cnn4j.train;

import java.util.List;

/**
 * Step decay: the rate is multiplied by {@code factor} every {@code every} epochs,
 * {@code rate(epoch) = base * factor^floor((epoch - 1) / every)} (PyTorch's {@code StepLR}).
 */
public final class StepDecay implements LearningRateSchedule {
    private final int every;
    private final double factor;

    /**
     * @param every  epochs per step, at least 1
     * @param factor multiplier per step, in (0, 1]
     */
    public StepDecay(int every, double factor) {
        if (every < 1) {
            throw new IllegalArgumentException("step decay needs every >= 1, got " + every);
        }
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("step decay factor must be in (0, 1], got " + factor);
        }
        this.every = every;
        this.factor = factor;
    }

    @Override
    public double rate(int epoch, double baseRate, List<EpochStats> history) {
        return baseRate * Math.pow(factor, (epoch - 1) / every);
    }

    @Override
    public String toString() {
        return "step(every " + every + ", x" + factor + ")";
    }
}
