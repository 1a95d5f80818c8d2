package io.github.cnn4j.train;

import java.util.List;

/**
 * What a training run did.
 *
 * @param epochs       per-epoch results, in order
 * @param bestEpoch    the epoch with the best test accuracy (the last epoch without a test set)
 * @param bestAccuracy its test accuracy (NaN without a test set)
 * @param samplesPerSecond training throughput over the whole run, excluding evaluation
 */
public record TrainingResult(List<EpochStats> epochs, int bestEpoch, double bestAccuracy, double samplesPerSecond) {
}
