/**
 * Labelled CSV files of any width: {@link io.github.cnn4j.io.csv.LabeledCsv} (a label column chosen
 * by index or header title, optional header, samples reshaped to a given shape, text labels become
 * class names).
 */
package io.github.cnn4j.io.csv;
