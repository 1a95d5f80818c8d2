/**
 * Reading and writing cnn4j data and models: the shared pieces.
 *
 * <ul>
 *   <li>{@link io.github.cnn4j.io.FormatException}: a file is not what it should be (wrong magic,
 *       truncated, malformed, wrong shapes, hostile sizes). Every reader in this module reports bad
 *       input only through it, naming the file, what was expected and what was found.</li>
 *   <li>{@link io.github.cnn4j.io.FetchException}: a data set could not be obtained from any source.</li>
 *   <li>{@link io.github.cnn4j.io.AtomicFiles}: every file this module writes goes through it, so a
 *       failed save never leaves a partial file and never touches the previous one.</li>
 * </ul>
 *
 * <p>Sub-packages: {@link io.github.cnn4j.io.fetch} (verified, cached downloads; the paper authors'
 * published files), {@link io.github.cnn4j.io.mnist} (IDX, MNIST and Fashion-MNIST, Kaggle CSV, the
 * MNIST fetcher), {@link io.github.cnn4j.io.json} (the paper's config and model formats, cnn4j's native
 * model format) and {@link io.github.cnn4j.io.checkpoint} (training checkpoints).
 */
package io.github.cnn4j.io;
