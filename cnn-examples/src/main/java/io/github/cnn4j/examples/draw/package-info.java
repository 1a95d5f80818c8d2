/**
 * The drawing program: a Swing window to draw a digit and have a model classify it, and the image
 * preprocessing that turns a drawing into a 28x28 MNIST-like input.
 */
package io.github.cnn4j.examples.draw;
