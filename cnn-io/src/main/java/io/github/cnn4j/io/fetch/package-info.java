/**
 * Fetching files once into a local cache, verified by size and SHA-256 and installed atomically:
 * {@link io.github.cnn4j.io.fetch.FileFetcher} (local directories, HTTP mirrors, the npm client as
 * sources), {@link io.github.cnn4j.io.fetch.DataFile} (one file's path and checksums) and
 * {@link io.github.cnn4j.io.fetch.AuthorsFiles} (the paper authors' published models, configs and
 * run logs). MNIST and Fashion-MNIST have their own front end,
 * {@link io.github.cnn4j.io.mnist.MnistFetcher}.
 */
package io.github.cnn4j.io.fetch;
