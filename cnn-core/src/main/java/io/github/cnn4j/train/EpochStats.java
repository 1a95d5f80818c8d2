package io.github.cnn4j.train;

/**
 * The results of one epoch.
 *
 * @param epoch              epoch number, from 1
 * @param trainLoss          mean training loss over the epoch's samples (measured during training)
 * @param testLoss           mean loss on the test set after the epoch (NaN without a test set)
 * @param testAccuracy       accuracy on the test set after the epoch, in [0, 1] (NaN without a test set)
 * @param seconds            wall time of the epoch's training, without the evaluation
 * @param best               whether this epoch is the best so far: by validation accuracy when the
 *                           trainer has a validation split, else by test accuracy
 * @param validationLoss     mean loss on the validation split after the epoch (NaN without one)
 * @param validationAccuracy accuracy on the validation split after the epoch (NaN without one)
 * @param learningRate       the optimizer's learning rate during the epoch
 */
public record EpochStats(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds, boolean best,
                         double validationLoss, double validationAccuracy, double learningRate) {

    /**
     * Results without a validation split or a recorded learning rate (those are NaN).
     *
     * @param epoch        epoch number, from 1
     * @param trainLoss    mean training loss
     * @param testLoss     mean test loss (NaN without a test set)
     * @param testAccuracy test accuracy (NaN without a test set)
     * @param seconds      wall time of the epoch's training
     * @param best         whether this epoch is the best so far
     */
    public EpochStats(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds, boolean best) {
        this(epoch, trainLoss, testLoss, testAccuracy, seconds, best, Double.NaN, Double.NaN, Double.NaN);
    }
}
