package io.github.cnn4j.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress as a bar redrawn in place on standard error (a terminal): samples/s, ETA and running loss. */
final class BarProgress implements Progress {
    /** Clears the terminal line the bar is drawn on. */
    private static final String CLEAR_LINE = "\r\u001b[2K";

    private final ProgressBar bar;
    private final PrintWriter lines;
    private long lastMessage;

    BarProgress(String task, long total, PrintWriter lines) {
        this.lines = lines;
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUpdateIntervalMillis(250)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" samples", 1)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .continuousUpdate()
                .build();
    }

    @Override
    public void update(long done, double loss) {
        bar.stepTo(done);
        long now = System.nanoTime();
        if (!Double.isNaN(loss) && now - lastMessage > 200_000_000L) {
            lastMessage = now;
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
        }
    }

    @Override
    public void add(long samples) {
        bar.stepBy(samples);
    }

    @Override
    public void println(String line) {
        synchronized (System.err) {
            System.err.print(CLEAR_LINE);
            System.err.flush();
            lines.println(line);
            lines.flush();
        }
    }

    @Override
    public void close() {
        bar.close();
    }
}
