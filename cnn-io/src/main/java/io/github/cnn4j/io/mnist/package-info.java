/**
 * Image data sets: the IDX file format, MNIST and Fashion-MNIST directories, Kaggle's CSV layouts,
 * and the fetcher that downloads and verifies MNIST.
 *
 * <pre>{@code
 * MnistData mnist = MnistFetcher.builder(MnistVariant.MNIST).build().load(); // fetched once, cached
 * Dataset train = mnist.train();                                          // 60,000 x (1, 28, 28)
 * Dataset test = MnistLoader.loadTest(Path.of("data/mnist"));             // from a directory
 * Dataset kaggle = KaggleCsv.readLabeled(Path.of("train.csv"));
 * }</pre>
 *
 * <p>Every reader reports bad input as a {@link io.github.cnn4j.io.FormatException} naming the file,
 * what was expected and what was found, and checks claimed sizes against what the file can hold
 * before allocating.
 */
package io.github.cnn4j.io.mnist;
