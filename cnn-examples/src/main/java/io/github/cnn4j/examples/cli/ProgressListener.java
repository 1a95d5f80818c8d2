package io.github.cnn4j.examples.cli;

import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows one console progress bar per epoch (samples/s, ETA, running loss) on standard error, and a
 * one-line summary per epoch.
 */
public final class ProgressListener implements TrainingListener {
    private final String label;
    private final PrintStream out;
    private ProgressBar bar;
    private int epochs;
    private int perEpoch;
    private double running = Double.NaN;

    /**
     * @param label name of the run, shown in the bar
     * @param out   where bars and summaries go (usually standard error)
     */
    public ProgressListener(String label, PrintStream out) {
        this.label = label;
        this.out = out;
    }

    @Override
    public void onStart(int epochs, int samplesPerEpoch) {
        this.epochs = epochs;
        this.perEpoch = samplesPerEpoch;
    }

    @Override
    public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "%s epoch %d/%d", label, epoch, epochs))
                    .setInitialMax(perEpoch)
                    .setUpdateIntervalMillis(250)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" samples", 1)
                    .showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(out))
                    .continuousUpdate()
                    .build();
            running = Double.NaN;
        }
        running = Double.isNaN(running) ? meanLoss : 0.999 * running + 0.001 * meanLoss;
        bar.stepTo(samplesInEpoch);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", running));
    }

    @Override
    public void onEpoch(EpochStats e) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (!Double.isNaN(e.validationAccuracy())) {
            out.printf(Locale.ROOT, "%s epoch %d: train loss %.4f, validation loss %.4f, validation accuracy %.2f%%%s, %.1f s%n",
                    label, e.epoch(), e.trainLoss(), e.validationLoss(), 100 * e.validationAccuracy(), e.best() ? " (best)" : "", e.seconds());
            return;
        }
        out.printf(Locale.ROOT, "%s epoch %d: train loss %.4f, test loss %.4f, test accuracy %.2f%%%s, %.1f s%n",
                label, e.epoch(), e.trainLoss(), e.testLoss(), 100 * e.testAccuracy(), e.best() ? " (best)" : "", e.seconds());
    }
}
