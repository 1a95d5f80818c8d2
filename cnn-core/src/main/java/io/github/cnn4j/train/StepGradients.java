package io.github.cnn4j.train;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Gradients;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.model.Sequential;

/**
 * Computes the gradient sums of the {@link Trainer}'s steps somewhere else, e.g. on the executors of
 * a cluster ({@link Trainer.Builder#stepGradients}). Everything else about a run (order, schedule,
 * optimizer update, divergence guard, evaluation, best epoch, listeners, checkpoints and resume)
 * stays with the trainer, so a run with a source equals a local run whenever the source's sums do.
 *
 * <p>To equal the local {@link GradientStep} bit for bit, a source cuts the batch into chunks of
 * {@value GradientStep#CHUNK} samples counted from the batch's first position, computes each chunk
 * with {@link GradientStep#gradients} (seed, loss and augmentation as given to {@link #start}) into a
 * zeroed buffer, and adds the chunk buffers into {@code sums} in chunk order.
 */
public interface StepGradients {
    /**
     * Called by {@code fit} before its first step (also when it resumes).
     *
     * @param model        the model being trained; its parameters are the ones to differentiate at every step
     * @param loss         the trainer's loss
     * @param seed         the trainer's seed (per-sample noise)
     * @param augmentation the trainer's augmentation, or null
     * @param train        the training set (after any validation split); {@code order} indexes into it
     * @param batchSize    the trainer's batch size (the last batch of an epoch may be smaller)
     */
    void start(Sequential model, Loss loss, long seed, Augmentation augmentation, Dataset train, int batchSize);

    /**
     * Adds a batch's gradient sums to {@code sums} (zeros when called by the trainer).
     *
     * @param epoch the epoch, from 1
     * @param order the epoch's order: position {@code p} holds the index in the training set of its sample (read only)
     * @param from  the batch's first position in the order
     * @param count samples in the batch
     * @param sums  buffers for the model's parameters, in {@link Sequential#parameters()} order (modified)
     * @return the sum of the batch's per-sample losses
     */
    double gradients(int epoch, int[] order, int from, int count, Gradients sums);

    /** Called when {@code fit} ends, normally or not: release what {@link #start} acquired. */
    default void end() {
    }
}
