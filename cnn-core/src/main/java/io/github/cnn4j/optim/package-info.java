/**
 * Optimizers that turn accumulated gradients into parameter updates and then clear the gradients:
 * plain SGD (the paper's), SGD with momentum, and Adam.
 */
package io.github.cnn4j.optim;
