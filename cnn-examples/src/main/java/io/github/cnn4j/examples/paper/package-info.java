/**
 * The paper's six models A-F: their published figures (Tables I-III), the project's own configs,
 * and the reproduction that trains and compares them.
 */
package io.github.cnn4j.examples.paper;
