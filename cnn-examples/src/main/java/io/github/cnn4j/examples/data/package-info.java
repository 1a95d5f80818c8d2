/** The worked example of {@code docs/data.md}: MNIST as PNG class folders, trained on from Java. */
package io.github.cnn4j.examples.data;
