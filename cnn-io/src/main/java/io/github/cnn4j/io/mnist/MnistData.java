package io.github.cnn4j.io.mnist;

import io.github.cnn4j.data.Dataset;

/**
 * The two parts of MNIST or Fashion-MNIST.
 *
 * @param train the 60,000 training images
 * @param test  the 10,000 test images
 */
public record MnistData(Dataset train, Dataset test) {
}
