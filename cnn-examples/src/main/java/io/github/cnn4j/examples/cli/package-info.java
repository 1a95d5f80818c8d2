/**
 * The {@code cnn4j} command-line tool: train, test, reproduce the paper, draw, fetch data,
 * summarize models, predict and benchmark.
 */
package io.github.cnn4j.examples.cli;
