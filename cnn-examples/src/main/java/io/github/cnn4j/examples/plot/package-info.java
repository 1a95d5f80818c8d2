/**
 * Figures as PNG images, drawn with XChart: confusion matrices, training-error curves and class
 * histograms, and grids of several charts in one image.
 */
package io.github.cnn4j.examples.plot;
