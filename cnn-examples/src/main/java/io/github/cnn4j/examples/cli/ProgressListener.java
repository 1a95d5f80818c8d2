package io.github.cnn4j.examples.cli;

import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows the progress of each epoch as {@link ProgressMode} says (a bar on a terminal, plain lines with
 * rate and ETA otherwise, nothing with {@code --quiet}) and, when asked, one summary line per epoch.
 * The trainer's own epoch log line is turned off in this tool (see {@code simplelogger.properties}), so
 * each epoch is reported once.
 */
public final class ProgressListener implements TrainingListener {
    private final String label;
    private final ProgressMode mode;
    private final PrintWriter lines;
    private final boolean epochLines;
    private Progress progress;
    private int epochs;
    private int perEpoch;
    private double running = Double.NaN;

    /**
     * @param label      name of the run, e.g. {@code train}
     * @param mode       how to show progress
     * @param lines      where plain progress lines and epoch lines go (usually standard error)
     * @param epochLines print a summary line after each epoch (false when the command prints its own)
     */
    public ProgressListener(String label, ProgressMode mode, PrintWriter lines, boolean epochLines) {
        this.label = label;
        this.mode = mode;
        this.lines = lines;
        this.epochLines = epochLines;
    }

    @Override
    public void onStart(int epochs, int samplesPerEpoch) {
        this.epochs = epochs;
        this.perEpoch = samplesPerEpoch;
    }

    @Override
    public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
        if (progress == null) {
            progress = Progress.of(mode, String.format(Locale.ROOT, "%s epoch %d/%d", label, epoch, epochs), perEpoch, lines);
            running = Double.NaN;
        }
        running = Double.isNaN(running) ? meanLoss : 0.999 * running + 0.001 * meanLoss;
        progress.update(samplesInEpoch, running);
    }

    @Override
    public void onEpoch(EpochStats e) {
        if (progress != null) {
            progress.close();
            progress = null;
        }
        if (epochLines) {
            lines.println(epochLine(label, epochs, e));
            lines.flush();
        }
    }

    /**
     * @param label  name of the run
     * @param epochs epochs of the run (0: unknown)
     * @param e      the epoch's figures
     * @return e.g. {@code train epoch 2/3: train loss 0.1234, test loss 0.1100, test accuracy 96.50% (best), 12.3 s}
     */
    static String epochLine(String label, int epochs, EpochStats e) {
        String which = Double.isNaN(e.validationAccuracy())
                ? String.format(Locale.ROOT, "test loss %.4f, test accuracy %.2f%%", e.testLoss(), 100 * e.testAccuracy())
                : String.format(Locale.ROOT, "validation loss %.4f, validation accuracy %.2f%%", e.validationLoss(), 100 * e.validationAccuracy());
        return String.format(Locale.ROOT, "%s epoch %d%s: train loss %.4f, %s%s, %.1f s", label, e.epoch(),
                epochs > 0 ? "/" + epochs : "", e.trainLoss(), which, e.best() ? " (best)" : "", e.seconds());
    }
}
