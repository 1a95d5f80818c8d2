/**
 * The {@link io.github.cnn4j.train.Trainer}: epochs of shuffled mini-batch (or per-sample) training,
 * deterministic multi-threaded gradient reduction, per-block and per-epoch listeners, test
 * evaluation after every epoch and keeping the best epoch.
 */
package io.github.cnn4j.train;
