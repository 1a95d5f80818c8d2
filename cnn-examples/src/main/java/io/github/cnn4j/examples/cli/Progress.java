package io.github.cnn4j.examples.cli;

import java.io.PrintWriter;

/**
 * Progress of a count of samples towards a total, shown as {@link ProgressMode} says. Safe to update
 * from several threads.
 */
public interface Progress extends AutoCloseable {
    /**
     * @param done samples done so far
     * @param loss running loss to show, or NaN for none
     */
    void update(long done, double loss);

    /**
     * @param samples samples done since the last call
     */
    void add(long samples);

    /**
     * Prints a line of results without garbling the progress display.
     *
     * @param line the text, without line end
     */
    void println(String line);

    @Override
    void close();

    /**
     * @param mode  how to show progress
     * @param task  what is progressing, e.g. {@code train epoch 1/3}
     * @param total samples in all
     * @param lines where plain lines and result lines go (the bar itself draws on standard error)
     * @return the progress display
     */
    static Progress of(ProgressMode mode, String task, long total, PrintWriter lines) {
        return switch (mode) {
            case BAR -> new BarProgress(task, total, lines);
            case LINES -> new LineProgress(task, total, lines, LineProgress.INTERVAL, System::nanoTime);
            case NONE -> new LineProgress(task, total, lines, null, System::nanoTime);
        };
    }
}
