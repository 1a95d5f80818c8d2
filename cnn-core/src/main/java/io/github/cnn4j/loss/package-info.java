/**
 * Loss functions over a batch of predictions and integer class labels: categorical cross-entropy
 * (fused with softmax) and mean squared error against one-hot targets.
 */
package io.github.cnn4j.loss;
