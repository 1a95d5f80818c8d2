/**
 * The one place where cnn4j runs work on several threads: a {@link io.github.cnn4j.parallel.WorkerPool}
 * that splits a fixed set of tasks over its workers and always joins before returning.
 */
package io.github.cnn4j.parallel;
