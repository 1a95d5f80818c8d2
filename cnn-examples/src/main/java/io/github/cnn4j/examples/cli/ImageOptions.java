package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.image.ResizePolicy;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How image folders are read: bad files, the cache. Shared by {@code train}, {@code test} and {@code predict}. */
public final class ImageOptions {
    @Option(names = "--skip-bad", description = "Skip undecodable, truncated or oversized images (logged and counted) instead of stopping.")
    boolean skipBad;

    @Option(names = "--cache", paramLabel = "FILE",
            description = "Image cache file for a folder (decoded once, memory-mapped after; rebuilt when the folder changes). "
                    + "Default: under $CNN4J_DATA/images or ~/.cache/cnn4j/images.")
    Path cache;

    @Option(names = "--no-cache", description = "Decode images while training (on worker threads, ahead of the optimizer) instead of caching them.")
    boolean noCache;

    @Option(names = "--resize", paramLabel = "POLICY", defaultValue = "STRETCH",
            description = "How images of another size are brought to the input size: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; "
                    + "a trained model's own policy wins in test and predict).")
    ResizePolicy resize;
}
