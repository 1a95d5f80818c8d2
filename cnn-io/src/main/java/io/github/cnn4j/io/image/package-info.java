/**
 * Image folders: one sub-folder per class, PNG, JPEG, BMP and GIF through ImageIO.
 *
 * <pre>{@code
 * ImageFolder folder = ImageFolder.builder(Path.of("data/train")).size(28, 28).channels(1).build();
 * Dataset inMemory = folder.load();                              // decoded now, on the heap
 * Dataset lazy = folder.lazy(2);                                 // decoded when read, 2 threads ahead
 * Dataset mapped = folder.cached(Path.of("data/train.cache"));   // decoded once, memory-mapped after
 * }</pre>
 *
 * <p>{@link io.github.cnn4j.io.image.ImageDecoder} reads each image's dimensions from its header and
 * checks them against {@link io.github.cnn4j.io.image.ImageLimits} before decoding;
 * {@link io.github.cnn4j.io.image.ResizePolicy} says how other sizes are brought to the sample size;
 * {@link io.github.cnn4j.io.image.ImageCache} is the checksummed, atomically written cache file.
 * Every bad file is a {@link io.github.cnn4j.io.FormatException} naming it.
 */
package io.github.cnn4j.io.image;
