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
 *   <li>{@link io.github.cnn4j.io.ReadableFiles}: every reader opens only regular files (no pipe can
 *       block a read) and checks what a file will cost against the memory budget first.</li>
 *   <li>{@link io.github.cnn4j.io.FileNames}: the one rule for names taken from files, which must be
 *       plain file names inside the output directory.</li>
 * </ul>
 *
 * <p>Sub-packages: {@link io.github.cnn4j.io.fetch} (verified, cached downloads; the paper authors'
 * published files), {@link io.github.cnn4j.io.mnist} (IDX, MNIST and Fashion-MNIST, Kaggle CSV, the
 * MNIST fetcher), {@link io.github.cnn4j.io.image} (image folders and their cache), {@link io.github.cnn4j.io.csv}
 * (labelled CSV of any width, predictions), {@link io.github.cnn4j.io.json} (the paper's config and model formats, cnn4j's native
 * model format) and {@link io.github.cnn4j.io.checkpoint} (training checkpoints).
 */
package io.github.cnn4j.io;
