/**
 * Optimizers that turn accumulated gradients into parameter updates and then clear the gradients:
 * plain SGD (the paper's), SGD with momentum, and Adam; {@link io.github.cnn4j.optim.WeightDecay}
 * adds L2 weight decay to any of them.
 */
package io.github.cnn4j.optim;
