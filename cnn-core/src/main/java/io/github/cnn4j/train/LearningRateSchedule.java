package io.github.cnn4j.train;

import java.util.List;

/**
 * The learning rate of each epoch. The trainer asks before every epoch and passes the answer to
 * {@link io.github.cnn4j.optim.Optimizer#learningRate(float)}.
 *
 * <pre>{@code
 * Trainer.builder(model).optimizer(new Adam(0.003))
 *     .schedule(LearningRateSchedule.cosine(15, 0.01))   // from 0.003 down to about 0.00003
 *     ...
 * }</pre>
 *
 * <p>A schedule is a pure function of the epoch, the base rate (the optimizer's rate when
 * {@link Trainer#fit} starts) and the results of the epochs before it, so a run that is resumed
 * from its history continues with the same rates. Implementations must keep it that way.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /**
     * @param epoch    the epoch about to start, from 1
     * @param baseRate the optimizer's learning rate when training started
     * @param history  the completed epochs, in order ({@code epoch - 1} entries)
     * @return the learning rate for this epoch, finite and &gt; 0
     */
    double rate(int epoch, double baseRate, List<EpochStats> history);

    /** @return the base rate for every epoch */
    static LearningRateSchedule constant() {
        return (epoch, base, history) -> base;
    }

    /**
     * @param every  epochs per step, at least 1
     * @param factor multiplier per step, in (0, 1]
     * @return {@code base * factor^floor((epoch - 1) / every)}
     * @see StepDecay
     */
    static LearningRateSchedule step(int every, double factor) {
        return new StepDecay(every, factor);
    }

    /**
     * @param epochs    length of the half cosine, usually the number of epochs
     * @param minFactor the rate approached at the end, as a fraction of the base rate, in [0, 1)
     * @return cosine annealing
     * @see CosineAnnealing
     */
    static LearningRateSchedule cosine(int epochs, double minFactor) {
        return new CosineAnnealing(epochs, minFactor);
    }

    /**
     * @param patience epochs without improvement of the monitored loss before the rate is cut, at least 1
     * @param factor   multiplier per cut, in (0, 1)
     * @param minRate  the rate never goes below this, &gt; 0
     * @return reduce-on-plateau
     * @see ReduceOnPlateau
     */
    static LearningRateSchedule reduceOnPlateau(int patience, double factor, double minRate) {
        return new ReduceOnPlateau(patience, factor, minRate);
    }
}
