package io.github.cnn4j.train;

/**
 * The results of one epoch.
 *
 * @param epoch        epoch number, from 1
 * @param trainLoss    mean training loss over the epoch's samples (measured during training)
 * @param testLoss     mean loss on the test set after the epoch (NaN without a test set)
 * @param testAccuracy accuracy on the test set after the epoch, in [0, 1] (NaN without a test set)
 * @param seconds      wall time of the epoch's training, without the evaluation
 * @param best         whether this epoch is the best so far by test accuracy
 */
public record EpochStats(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds, boolean best) {
}
