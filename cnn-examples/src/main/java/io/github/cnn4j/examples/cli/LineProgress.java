package io.github.cnn4j.examples.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Progress as plain lines (for logs and pipes): at most one per interval, with rate and ETA; none without interval. */
final class LineProgress implements Progress {
    /** Time between two progress lines. */
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final String task;
    private final long total;
    private final PrintWriter out;
    private final long interval;
    private final LongSupplier clock;
    private final long start;
    private long next;
    private long done;
    private double loss = Double.NaN;

    /**
     * @param interval time between lines, or null for no progress lines at all (only {@link #println})
     * @param clock    nanoseconds
     */
    LineProgress(String task, long total, PrintWriter out, Duration interval, LongSupplier clock) {
        this.task = task;
        this.total = total;
        this.out = out;
        this.interval = interval == null ? -1 : interval.toNanos();
        this.clock = clock;
        this.start = clock.getAsLong();
        this.next = start + this.interval;
    }

    @Override
    public synchronized void update(long done, double loss) {
        this.done = done;
        this.loss = loss;
        maybePrint();
    }

    @Override
    public synchronized void add(long samples) {
        done += samples;
        maybePrint();
    }

    private void maybePrint() {
        if (interval < 0) {
            return;
        }
        long now = clock.getAsLong();
        if (now - next < 0) {
            return;
        }
        next = now + interval;
        out.println(line(now));
        out.flush();
    }

    /** e.g. {@code train epoch 1/3: 12000/54000 samples (22%), 1850 samples/s, ETA 23 s, loss 0.3412} */
    String line(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 ? duration((total - done) / rate) : "?";
        return String.format(Locale.ROOT, "%s: %d/%d samples (%d%%), %.0f samples/s, ETA %s%s", task, done, total,
                total > 0 ? 100 * done / total : 0, rate, eta, Double.isNaN(loss) ? "" : String.format(Locale.ROOT, ", loss %.4f", loss));
    }

    /** @return e.g. {@code 45 s}, {@code 3 min 05 s}, {@code 2 h 03 min} */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    @Override
    public synchronized void println(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void close() {
        // nothing to clear: every line is complete
    }
}
