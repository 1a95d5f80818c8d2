package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.train.CheckpointSink;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code cnn4j} tool with a checkpoint writer that stops in the middle of one write, for tests
 * that kill a process there: {@code InterruptedCheckpointCli pause|halt N cnn4j-arguments...}.
 *
 * <p>The N-th checkpoint of the process is written as {@link CheckpointFormat}'s file sink writes it
 * (the same bytes, through {@link AtomicFiles}: a temporary file, then an atomic rename), except that
 * after the first half reaches the temporary file it either prints {@link #PAUSE_MARKER} to standard
 * error and sleeps ({@code pause}, for the test to kill the process) or halts the JVM ({@code halt}).
 * Every other checkpoint goes through the real sink. Installed through {@link TrainCommand#checkpointSinks}.
 */
final class InterruptedCheckpointCli {
    /** What the {@code pause} mode prints before it sleeps. */
    static final String PAUSE_MARKER = "cnn4j-test: checkpoint write paused";

    private InterruptedCheckpointCli() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        int target = Integer.parseInt(args[1]);
        if (!mode.equals("pause") && !mode.equals("halt")) {
            throw new IllegalArgumentException("mode is pause or halt, not " + mode);
        }
        AtomicInteger writes = new AtomicInteger();
        TrainCommand.checkpointSinks = (file, model, metadata) -> {
            CheckpointSink real = CheckpointFormat.sink(file, model, metadata);
            return state -> {
                if (writes.incrementAndGet() != target) {
                    real.save(state);
                    return;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                CheckpointFormat.write(bytes, model, state, metadata);
                byte[] b = bytes.toByteArray();
                AtomicFiles.write(file, out -> {
                    out.write(b, 0, b.length / 2);
                    out.flush(); // the first half reaches the temporary file
                    interrupt(mode);
                    out.write(b, b.length / 2, b.length - b.length / 2);
                });
            };
        };
        String[] rest = new String[args.length - 2];
        System.arraycopy(args, 2, rest, 0, rest.length);
        Cnn4jCli.main(rest);
    }

    private static void interrupt(String mode) {
        if (mode.equals("halt")) {
            Runtime.getRuntime().halt(86);
        }
        System.err.println(PAUSE_MARKER);
        System.err.flush();
        try {
            Thread.sleep(600_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
