package io.github.cnn4j.examples.cli;

import picocli.CommandLine.Option;

/** Options of {@code train} for native-format architectures and data of any shape. */
public final class TrainDataOptions {
    @Option(names = "--image-size", paramLabel = "HxW", description = "Input image size, e.g. 64x64 (default: the architecture's input).")
    String imageSize;

    @Option(names = "--channels", paramLabel = "1|3", description = "Input channels: 1 grayscale, 3 RGB (default: the architecture's input).")
    Integer channels;

    @Option(names = "--val-split", paramLabel = "F", defaultValue = "0.1",
            description = "Fraction of the training data held out to pick the best epoch, 0 for none (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--normalize", description = "Normalise every channel by the training set's mean and standard deviation (saved with the model).")
    boolean normalize;

    @Option(names = "--label-column", paramLabel = "N", defaultValue = "0",
            description = "Label column of a CSV file, zero-based; negative counts from the end (default: ${DEFAULT-VALUE}).")
    int labelColumn;

    /**
     * @return {@code {height, width}}, or null when not given
     * @throws IllegalArgumentException when malformed
     */
    int[] size() {
        if (imageSize == null) {
            return null;
        }
        String[] p = imageSize.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int h = Integer.parseInt(p[0].trim());
                int w = Integer.parseInt(p[1].trim());
                if (h >= 1 && w >= 1 && h <= 4096 && w <= 4096) {
                    return new int[] {h, w};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--image-size " + imageSize + ": expected HEIGHTxWIDTH, each 1..4096, e.g. 28x28");
    }
}
