package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.checkpoint.Checkpoint;
import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.train.TrainingState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnn4j train} killed with SIGKILL at several points (before the first checkpoint, in the middle
 * of writing a checkpoint, at arbitrary moments) and continued with {@code --resume} each time ends
 * with files byte-identical to an uninterrupted run: the same final and best weights, and CSV logs
 * without a missing or repeated row. Training runs in child JVMs on 2,000 real MNIST images.
 */
class KillAndResumeTest {
    private static Path mnist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fetchMnist() throws IOException {
        mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
    }

    /** A child JVM running {@code cnn4j train} whose standard error is collected line by line. */
    static final class Child {
        final Process process;
        final List<String> err = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch paused = new CountDownLatch(1);

        Child(Path dir, String hook, boolean resume) throws IOException {
            this(dir, hook, resume ? "--resume" : "--out");
        }

        /** @param option {@code --out}, {@code --resume} or {@code --resume-or-start} */
        Child(Path dir, String hook, String option) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath()));
            if (hook != null) {
                // the tool with a checkpoint writer that pauses in the middle of the N-th write ("pause:N")
                String[] h = hook.split(":");
                cmd.addAll(List.of(InterruptedCheckpointCli.class.getName(), h[0], h[1]));
            } else {
                cmd.add(Cnn4jCli.class.getName());
            }
            cmd.addAll(List.of("train", CliTest.config("A").toString(), "--data", mnist.toString(),
                    "--limit", "2000", "--epochs", "3", "--checkpoint-every", "400", "--quiet"));
            cmd.addAll(List.of(option, dir.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolveSibling(
                    dir.getFileName() + ".stdout").toFile()));
            process = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        err.add(line);
                        if (line.equals(InterruptedCheckpointCli.PAUSE_MARKER)) {
                            paused.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the process was killed
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static String classpath() {
            String cp = System.getProperty("surefire.test.class.path");
            return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
        }

        /** SIGKILL (Process.destroyForcibly on Linux), then wait for the process to be gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }

        /** Waits until the checkpoint write hook paused the child; fails if the child ends first. */
        void awaitPause(String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!paused.await(100, TimeUnit.MILLISECONDS)) {
                assertTrue(process.isAlive() && System.nanoTime() < deadline, "the child never reached " + what + ": " + err);
            }
        }

        int finish() throws InterruptedException {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child did not finish: " + err);
            return process.exitValue();
        }
    }

    private static List<String> temporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted().toList();
        }
    }

    private static TrainingState checkpoint(Path dir) throws IOException {
        return CheckpointFormat.read(dir.resolve("model_A.ckpt")).state();
    }

    @Test
    void killedAnywhereAndResumedEndsByteIdenticalToAnUninterruptedRun() throws Exception {
        Path ref = tmp.resolve("uninterrupted");
        Child r = new Child(ref, null, false);
        assertEquals(0, r.finish(), String.join("\n", r.err));

        Path run = tmp.resolve("killed");
        List<String> story = new ArrayList<>();

        // 1. killed before the first checkpoint: the resumed run starts from the beginning
        Child c = new Child(run, null, false);
        Thread.sleep(150);
        c.kill();
        assertFalse(Files.exists(run.resolve("model_A.ckpt")));
        story.add("killed at 150 ms, before any checkpoint");

        // 2. killed in the middle of writing its 3rd checkpoint (samples 1200 of epoch 1): half a temporary file
        //    (--resume would refuse a directory without a checkpoint; --resume-or-start starts over)
        c = new Child(run, "pause:3", "--resume-or-start");
        c.awaitPause("its 3rd checkpoint");
        c.kill();
        TrainingState s = checkpoint(run);
        assertEquals(1, s.epoch());
        assertEquals(800, s.position(), "the 2nd checkpoint is intact");
        assertEquals(1, temporaries(run).size(), "the interrupted write left its temporary file: " + temporaries(run));
        story.add("killed writing checkpoint 3; checkpoint at epoch 1, sample 800");

        // 3. resumed from sample 800, killed while writing its 3rd checkpoint: the one at the end of epoch 1,
        //    after the epoch's logs and models were written; the stale temporary of the previous kill is gone
        c = new Child(run, "pause:3", true);
        c.awaitPause("its 3rd checkpoint");
        c.kill();
        s = checkpoint(run);
        assertEquals(1, s.epoch());
        assertEquals(1600, s.position());
        assertEquals(2, Files.readAllLines(run.resolve("model_A.csv")).size(), "epoch 1 is logged, though not checkpointed");
        assertEquals(1, temporaries(run).size(), temporaries(run).toString());
        story.add("killed writing the end-of-epoch-1 checkpoint; checkpoint at epoch 1, sample 1600");

        // 4. killed at arbitrary moments of training: once the resumed child has written a checkpoint of
        //    its own, after a random delay (mid-step, mid-block, evaluating, writing logs, models or checkpoints)
        long seed = Long.getLong("cnn4j.test.seed", System.nanoTime());
        Random rnd = new Random(seed);
        story.add("seed " + seed);
        for (int k = 0; k < 3; k++) {
            Object before = Files.readAttributes(run.resolve("model_A.ckpt"), BasicFileAttributes.class).fileKey();
            c = new Child(run, null, true);
            while (c.process.isAlive()
                    && before.equals(Files.readAttributes(run.resolve("model_A.ckpt"), BasicFileAttributes.class).fileKey())) {
                Thread.sleep(5);
            }
            long delay = rnd.nextInt(400);
            if (c.process.waitFor(delay, TimeUnit.MILLISECONDS)) {
                story.add("finished before the kill");
                break;
            }
            c.kill();
            s = checkpoint(run);
            story.add("killed " + delay + " ms after a checkpoint; checkpoint at epoch " + s.epoch() + ", sample " + s.position());
        }

        // 5. the last resume runs to the end
        c = new Child(run, null, true);
        assertEquals(0, c.finish(), story + "\n" + String.join("\n", c.err));
        String how = String.join("; ", story);
        System.out.println("kill-and-resume: " + how);

        for (String f : List.of("model_A.csv", "model_A_block_error.csv", "model_A.json", "model_A_last.json")) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(f)), Files.readAllBytes(run.resolve(f)), f + " differs after: " + how);
        }
        List<String> blocks = Files.readAllLines(run.resolve("model_A_block_error.csv"));
        assertEquals(1 + 3 * 2000 / 250, blocks.size(), "one row per block of 250 samples: " + how);
        assertEquals(4, Files.readAllLines(run.resolve("model_A.csv")).size());
        Checkpoint a = CheckpointFormat.read(ref.resolve("model_A.ckpt"));
        Checkpoint b = CheckpointFormat.read(run.resolve("model_A.ckpt"));
        for (int i = 0; i < a.state().parameters().length; i++) {
            assertArrayEquals(a.state().parameters()[i], b.state().parameters()[i], 0f, "final weights, parameter " + i + ": " + how);
            assertArrayEquals(a.state().best()[i], b.state().best()[i], 0f, "best weights, parameter " + i + ": " + how);
        }
        assertEquals(a.state().optimizer().steps(), b.state().optimizer().steps());
        assertEquals(List.of(), temporaries(run), how);
        assertFalse(String.join("\n", c.err).contains("Exception"), String.join("\n", c.err));
    }

    private static CliTest.Result train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train", CliTest.config("A").toString(), "--data", mnist.toString(), "--limit", "1000",
                "--quiet"));
        args.addAll(List.of(extra));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void resumingAFinishedRunChangesNothingAndOtherSettingsAreRefused() throws IOException {
        Path dir = tmp.resolve("run");
        CliTest.Result r = train("--epochs", "1", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        byte[] csv = Files.readAllBytes(dir.resolve("model_A.csv"));
        byte[] best = Files.readAllBytes(dir.resolve("model_A.json"));
        r = train("--epochs", "1", "--resume", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Resuming from " + dir.resolve("model_A.ckpt") + ": epoch 1, sample 1000 of 1000 (epoch finished)"), r.out());
        assertArrayEquals(csv, Files.readAllBytes(dir.resolve("model_A.csv")));
        assertArrayEquals(best, Files.readAllBytes(dir.resolve("model_A.json")));

        r = train("--epochs", "1", "--resume", dir.toString(), "--batch-size", "4");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("cnn4j: cannot resume from " + dir.resolve("model_A.ckpt") + ": the run was made with other settings: "
                + "--batch-size was 1, now 4"), r.err());
        r = train("--epochs", "1", "--resume", dir.toString(), "--learning-rate", "0.5", "--optimizer", "ADAM");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--optimizer was SGD, now ADAM") && r.err().contains("--learning-rate was 0.05, now 0.5"), r.err());
        r = CliTest.run("train", CliTest.config("A").toString(), "--data", mnist.toString(), "--limit", "900", "--quiet", "--epochs", "1",
                "--resume", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot resume: the checkpoint was made with other settings or data: training samples 1000 "
                + "(checkpoint) vs 900, test samples 1000 (checkpoint) vs 900"), r.err());
        r = train("--epochs", "1", "--resume", dir.toString(), "--out", tmp.resolve("elsewhere").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--resume DIR is the run's output directory: leave out --out"), r.err());

        // one more epoch continues the run
        r = train("--epochs", "2", "--resume", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Files.readAllLines(dir.resolve("model_A.csv")).size());
    }

    @Test
    void aDamagedCheckpointIsReportedNotSilentlyReplaced() throws IOException {
        Path dir = tmp.resolve("run");
        assertEquals(0, train("--epochs", "1", "--out", dir.toString()).code());
        Path ckpt = dir.resolve("model_A.ckpt");
        byte[] b = Files.readAllBytes(ckpt);
        b[b.length / 3] ^= 0x10;
        Files.write(ckpt, b);
        CliTest.Result r = train("--epochs", "2", "--resume", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("cnn4j: " + ckpt + ": checksum mismatch: the file is damaged"), r.err());
        assertArrayEquals(b, Files.readAllBytes(ckpt), "left for the user to inspect");
    }

    @Test
    void anUnwritableOutputDirectoryStopsWithAClearMessage() throws IOException {
        // Tests may run as root, whom permissions do not stop: a directory below a regular file cannot be created by anyone.
        Path blocker = tmp.resolve("blocker");
        Files.writeString(blocker, "not a directory");
        CliTest.Result r = train("--epochs", "1", "--out", blocker.resolve("runs").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("cnn4j: cannot create the output directory " + blocker.resolve("runs") + ": ")
                && r.err().contains("Not a directory"), r.err());
        assertEquals("not a directory", Files.readString(blocker));
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aCheckpointThatCannotBeWrittenStopsTrainingAndKeepsThePreviousOne() throws IOException {
        Path dir = tmp.resolve("run");
        assertEquals(0, train("--epochs", "1", "--out", dir.toString()).code());
        Path ckpt = dir.resolve("model_A.ckpt");
        byte[] before = Files.readAllBytes(ckpt);
        // the checkpoint's name is taken by a non-empty directory: the atomic rename over it fails
        Path moved = dir.resolve("saved.ckpt");
        Files.move(ckpt, moved);
        Files.createDirectories(ckpt.resolve("occupied"));
        Files.move(moved, dir.resolve("model_A.ckpt.bak"));
        CliTest.Result r = train("--epochs", "1", "--out", dir.toString(), "--checkpoint-every", "300");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("cnn4j: cannot write the checkpoint at epoch 1, sample 300 of 1000: cannot write checkpoint " + ckpt
                + " (the previous checkpoint is unchanged)"), r.err());
        assertTrue(Files.isDirectory(ckpt.resolve("occupied")));
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("model_A.ckpt.bak")));
        assertEquals(List.of(), temporaries(dir));
    }
}
