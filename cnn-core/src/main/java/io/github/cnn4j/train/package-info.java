/**
 * The {@link io.github.cnn4j.train.Trainer}: epochs of shuffled mini-batch (or per-sample) training,
 * deterministic multi-threaded gradient reduction, per-block and per-epoch listeners, test
 * evaluation after every epoch and keeping the best epoch; learning-rate schedules
 * ({@link io.github.cnn4j.train.LearningRateSchedule}), a seeded validation split with early
 * stopping, data augmentation, and batch-norm running statistics
 * ({@link io.github.cnn4j.train.BatchNormStatistics}), all deterministic for any thread count.
 * The trainer's parts are usable on their own: the step API {@link io.github.cnn4j.train.GradientStep}
 * (gradient sums of a batch, then the optimizer), the {@link io.github.cnn4j.train.DivergenceGuard},
 * {@link io.github.cnn4j.train.BestEpoch}, {@link io.github.cnn4j.train.EarlyStopping} and
 * {@link io.github.cnn4j.train.CheckpointCadence}.
 */
package io.github.cnn4j.train;
