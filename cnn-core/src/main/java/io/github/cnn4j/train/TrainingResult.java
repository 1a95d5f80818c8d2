package io.github.cnn4j.train;

import java.util.List;

/**
 * What a training run did.
 *
 * @param epochs       per-epoch results, in order (fewer than planned after an early stop)
 * @param bestEpoch    the epoch with the best validation accuracy when the trainer has a validation
 *                     split, else with the best test accuracy (the last epoch without either)
 * @param bestAccuracy its validation (or test) accuracy (NaN without either)
 * @param samplesPerSecond training throughput over the whole run, excluding evaluation
 */
public record TrainingResult(List<EpochStats> epochs, int bestEpoch, double bestAccuracy, double samplesPerSecond) {
}
