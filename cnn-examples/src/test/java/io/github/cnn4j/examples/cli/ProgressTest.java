package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress in logs and pipes: plain throttled lines with rate and ETA, or none; each epoch reported once. */
class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void plainLinesComeAtMostOncePerIntervalWithRateAndEta() {
        AtomicLong now = new AtomicLong(1000 * SECOND);
        StringWriter sw = new StringWriter();
        LineProgress p = new LineProgress("train epoch 1/2", 10_000, new PrintWriter(sw), Duration.ofSeconds(5), now::get);
        for (int s = 1; s <= 4000; s++) {
            now.addAndGet(SECOND / 500); // 500 samples/s: 8 s for 4000 samples
            p.update(s, 0.5);
        }
        List<String> lines = sw.toString().lines().toList();
        assertEquals(1, lines.size(), "one line in 8 s at one per 5 s: " + lines);
        // after 5 s: 2500 samples at 500/s, 7500 to go: 15 s
        assertEquals("train epoch 1/2: 2500/10000 samples (25%), 500 samples/s, ETA 15 s, loss 0.5000", lines.get(0));
        now.addAndGet(3 * SECOND);
        p.add(0);
        assertEquals(2, sw.toString().lines().count(), "the next line 5 s after the first");
        assertFalse(sw.toString().contains("\r"));
    }

    @Test
    void noProgressLinesWhenQuietButResultLinesStill() {
        AtomicLong now = new AtomicLong();
        StringWriter sw = new StringWriter();
        LineProgress p = new LineProgress("reproduce", 100, new PrintWriter(sw), null, now::get);
        for (int s = 1; s <= 100; s++) {
            now.addAndGet(SECOND);
            p.update(s, Double.NaN);
        }
        assertEquals("", sw.toString());
        p.println("model A epoch 1/1: done");
        assertEquals("model A epoch 1/1: done", sw.toString().strip());
        assertTrue(Progress.of(ProgressMode.NONE, "x", 1, new PrintWriter(sw)) instanceof LineProgress);
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("0 s", LineProgress.duration(0.2));
        assertEquals("59 s", LineProgress.duration(59));
        assertEquals("3 min 05 s", LineProgress.duration(185));
        assertEquals("2 h 03 min", LineProgress.duration(2 * 3600 + 3 * 60 + 10));
    }

    @Test
    void quietOrNotATerminalMeansNoBar() {
        assertEquals(ProgressMode.NONE, ProgressMode.choose(true));
        // the test JVM's streams are pipes
        assertEquals(ProgressMode.LINES, ProgressMode.choose(false));
        assertFalse(ProgressMode.isTerminal(null));
    }

    /**
     * Runs the tool as a user does, in its own JVM with the application's logging configuration (the
     * test classes, and their quieter simplelogger.properties, are left off the class path), its
     * standard error a pipe.
     */
    @Test
    void eachEpochIsReportedOnceAndWithoutCarriageReturns(@TempDir Path dir) throws IOException, InterruptedException {
        Path mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
        String cp = Arrays.stream(KillAndResumeTest.Child.classpath().split(File.pathSeparator))
                .filter(e -> !e.replace('\\', '/').endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", cp,
                Cnn4jCli.class.getName(), "train", "model_A.json", "--data", mnist.toString(), "--limit", "600", "--epochs", "2",
                "--out", dir.toString()).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        for (int e = 1; e <= 2; e++) {
            int epoch = e;
            long reports = err.lines().filter(l -> l.matches(".*epoch " + epoch + "(/2)?:.*train loss.*")).count();
            assertEquals(1, reports, "epoch " + e + " reported once:\n" + err);
        }
        assertTrue(err.contains("train epoch 1/2: train loss "), err);
        assertFalse(err.contains("\r"), err);
    }
}
