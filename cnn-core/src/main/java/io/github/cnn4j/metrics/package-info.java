/**
 * {@link io.github.cnn4j.metrics.Evaluation}: accuracy, mean loss, per-class precision, recall and
 * F1, and the confusion matrix of a model on a labelled dataset.
 */
package io.github.cnn4j.metrics;
