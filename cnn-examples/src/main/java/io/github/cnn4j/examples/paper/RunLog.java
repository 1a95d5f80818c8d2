package io.github.cnn4j.examples.paper;

import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.FileNames;
import io.github.cnn4j.train.BlockStats;
import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.TrainingListener;
import io.github.cnn4j.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a training run's logs in the paper's column layout, replacing both files atomically after
 * every epoch so that they are never half-written:
 * <ul>
 *   <li>{@code NAME.csv}: {@code Epoch, Training Set, Test Set, Test Correct} (mean training loss,
 *       mean test loss, test accuracy with a % sign);</li>
 *   <li>{@code NAME_block_error.csv}: {@code Trained Samples, Block Average Training Error}, one row
 *       per block of samples (250 by default).</li>
 * </ul>
 * A run continued from a checkpoint ({@link #onResume}) starts from the rows the checkpoint recorded,
 * so the files end with no row missing or repeated.
 */
public final class RunLog implements TrainingListener {
    private final Path epochFile;
    private final Path blockFile;
    private final List<EpochStats> epochs = new ArrayList<>();
    private final List<BlockStats> blocks = new ArrayList<>();

    /**
     * @param dir  output directory
     * @param name file stem: a plain file name (see {@link FileNames})
     * @throws IllegalArgumentException when {@code name} is not a plain file name
     */
    public RunLog(Path dir, String name) {
        FileNames.requireName(name, "run log name");
        this.epochFile = dir.resolve(name + ".csv");
        this.blockFile = dir.resolve(name + "_block_error.csv");
    }

    /** @return the per-epoch CSV */
    public Path epochFile() {
        return epochFile;
    }

    /** @return the per-block CSV */
    public Path blockFile() {
        return blockFile;
    }

    /** @return blocks recorded so far */
    public List<BlockStats> blocks() {
        return List.copyOf(blocks);
    }

    /** @return epochs recorded so far */
    public List<EpochStats> epochs() {
        return List.copyOf(epochs);
    }

    /** Restores the rows recorded before the checkpoint; the files are rewritten whole after the next epoch. */
    @Override
    public void onResume(TrainingState state) {
        epochs.clear();
        epochs.addAll(state.history());
        blocks.clear();
        blocks.addAll(state.blockHistory());
    }

    @Override
    public void onBlock(BlockStats block) {
        blocks.add(block);
    }

    @Override
    public void onEpoch(EpochStats e) {
        epochs.add(e);
        StringBuilder a = new StringBuilder("Epoch, Training Set, Test Set, Test Correct\n");
        for (EpochStats s : epochs) {
            a.append(String.format(Locale.ROOT, "%d, %s, %s, %s%%%n", s.epoch(), s.trainLoss(), s.testLoss(), 100 * s.testAccuracy()));
        }
        StringBuilder b = new StringBuilder("Trained Samples, Block Average Training Error\n");
        for (BlockStats s : blocks) {
            b.append(s.samplesSeen()).append(',').append(s.meanLoss()).append('\n');
        }
        try {
            AtomicFiles.write(epochFile, out -> out.write(a.toString().getBytes(StandardCharsets.UTF_8)));
            AtomicFiles.write(blockFile, out -> out.write(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the training log " + epochFile + ": " + ex.getMessage(), ex);
        }
    }
}
