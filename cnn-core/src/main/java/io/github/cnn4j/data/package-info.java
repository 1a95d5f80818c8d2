/**
 * Where training samples come from and how they are prepared.
 *
 * <p>{@link io.github.cnn4j.data.Dataset} is what the trainer, prediction and evaluation read:
 * labelled samples with {@link io.github.cnn4j.data.ClassNames}, and cheap views for subsets and
 * shuffled orders. Its samples are in one float32 array or in any
 * {@link io.github.cnn4j.data.SampleSource}: {@link io.github.cnn4j.data.MappedSource} (a
 * memory-mapped file, larger than the heap), {@link io.github.cnn4j.data.LazySource} (decoded on
 * demand), {@link io.github.cnn4j.data.TransformedSource} and
 * {@link io.github.cnn4j.data.PrefetchingSource} (read ahead on worker threads). cnn-io fills them
 * from MNIST files, CSV and image folders.
 *
 * <p>Per-sample {@link io.github.cnn4j.data.Transform}s (resize, crops, flips, normalisation,
 * channel conversion) combine into a {@link io.github.cnn4j.data.Pipeline}; random ones draw from
 * the seed and the sample's position only. {@link io.github.cnn4j.data.Augmentation}s such as
 * {@link io.github.cnn4j.data.RandomAffine} transform training batches, seeded per sample.
 */
package io.github.cnn4j.data;
