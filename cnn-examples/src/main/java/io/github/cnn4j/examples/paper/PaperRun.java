package io.github.cnn4j.examples.paper;

import io.github.cnn4j.io.json.PaperConfig;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.train.BlockStats;
import io.github.cnn4j.train.EpochStats;
import java.util.List;

/**
 * One of the paper's models after our run: trained from scratch, or the authors' published file.
 *
 * @param letter     A to F
 * @param config     the architecture and training settings
 * @param model      the model (best epoch's weights when trained)
 * @param evaluation its results on the test set
 * @param epochs     per-epoch results (empty for a published model)
 * @param blocks     training error per block (empty for a published model)
 * @param seconds    wall time of the training run (0 for a published model)
 * @param bestEpoch  the epoch whose weights were kept
 */
public record PaperRun(String letter, PaperConfig config, Sequential model, Evaluation evaluation,
                       List<EpochStats> epochs, List<BlockStats> blocks, double seconds, int bestEpoch) {

    /** @return the published figures for this model */
    public PublishedResults published() {
        return PublishedResults.valueOf(letter);
    }

    /** @return the architecture in the paper's notation, e.g. {@code Kernels(5x5x6, padding=0) ReLU() MaxPool(2x2) ...} */
    public String notation() {
        StringBuilder sb = new StringBuilder();
        config.convolutionalLayers().forEach(c -> sb.append(String.format("Kernels(%dx%dx%d, padding=%d) ReLU() MaxPool(%dx%d) ",
                c.kernelDim(), c.kernelDim(), c.kernelCount(), c.padding(), c.poolingDim(), c.poolingDim())));
        sb.append("Flatten() ");
        config.hiddenLayers().forEach(n -> sb.append("FullyConnected(").append(n).append(") "));
        return sb.append("SoftMax()").toString();
    }
}
