package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.checkpoint.RunDirectoryLock;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against the hostile inputs of issue 17, all generated here and small: each is
 * refused with one line naming the file and the cause, writes nothing outside {@code --out}, and
 * exits non-zero.
 */
class HostileInputsCliTest {
    @TempDir
    Path tmp;

    /** Writes a tiny MNIST-layout data set: {@code n} random images and labels for training and for testing. */
    static Path tinyData(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(7);
        for (String part : List.of("train", "t10k")) {
            byte[] px = new byte[n * 784];
            r.nextBytes(px);
            byte[] lb = new byte[n];
            for (int i = 0; i < n; i++) {
                lb[i] = (byte) r.nextInt(10);
            }
            Files.write(dir.resolve(part + "-images-idx3-ubyte"), ByteBuffer.allocate(16 + px.length).put(new byte[] {0, 0, 8, 3}).putInt(n)
                    .putInt(28).putInt(28).put(px).array());
            Files.write(dir.resolve(part + "-labels-idx1-ubyte"), ByteBuffer.allocate(8 + n).put(new byte[] {0, 0, 8, 1}).putInt(n).put(lb).array());
        }
        return dir;
    }

    static Path config(Path dir, String outputFilename, int padding, int pooling) throws IOException {
        Path f = dir.resolve("config_" + Math.abs(outputFilename.hashCode()) + "_" + padding + "_" + pooling + ".json");
        Files.writeString(f, "{\"seed\": 1, \"learning_rate\": 0.05, \"epochs\": 1, \"output_filename\": \"" + outputFilename
                + "\", \"convolutional_layers\": [{\"kernel_count\": 2, \"kernel_dim\": 3, \"padding\": " + padding + ", \"pooling_dim\": "
                + pooling + "}]}");
        return f;
    }

    static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static void oneLineError(CliTest.Result r, int code, String... expected) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().startsWith("cnn4j: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "expected '" + e + "' in: " + r.err());
        }
    }

    @Test
    void outputFilenamesThatArePathsAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path data = tinyData(tmp.resolve("data"), 20);
        Path parent = Files.createDirectories(tmp.resolve("parent"));
        Path out = parent.resolve("out");
        for (String name : List.of("../escaped", "/", tmp.resolve("abs").toString(), "nosuch/x", "..")) {
            Path cfg = config(tmp, name, 0, 2);
            CliTest.Result r = CliTest.run("train", cfg.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet");
            oneLineError(r, 1, cfg.toString(), "output_filename: expected a plain file name");
            assertEquals(List.of(""), tree(parent), name + ": nothing may be written, not even the output directory");
        }
        assertFalse(Files.exists(tmp.resolve("abs.json")));
        // an output directory that is a file: named, with the cause
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        oneLineError(CliTest.run("train", config(tmp, "ok", 0, 2).toString(), "--data", data.toString(), "--out", file.toString(), "--quiet"), 1,
                "cannot create the output directory " + file + ": " + file + ": already exists");
        oneLineError(CliTest.run("reproduce", "--models", "A", "--data", data.toString(), "--out", file.toString(), "--quiet"), 1,
                "cannot create the output directory " + file + ": " + file + ": already exists");
    }

    @Test
    void oneWriterPerRunDirectory() throws IOException {
        Path data = tinyData(tmp.resolve("data"), 20);
        Path cfg = config(tmp, "run", 0, 2);
        Path out = Files.createDirectories(tmp.resolve("out"));
        try (RunDirectoryLock held = RunDirectoryLock.acquire(out)) {
            for (List<String> args : List.of(List.of("--out", out.toString()), List.of("--resume", out.toString()))) {
                List<String> cmd = new ArrayList<>(List.of("train", cfg.toString(), "--data", data.toString(), "--quiet"));
                cmd.addAll(args);
                oneLineError(CliTest.run(cmd.toArray(String[]::new)), 1, out + " is in use by another cnn4j run");
            }
            oneLineError(CliTest.run("reproduce", "--models", "A", "--epochs", "1", "--data", data.toString(), "--out", out.toString(),
                    "--quiet"), 1, out + " is in use by another cnn4j run");
        }
        assertEquals(List.of("", RunDirectoryLock.FILE_NAME), tree(out), "the refused runs wrote nothing");
        // once the first run is gone, the directory is free; the killed run's temporary files of this run's names are removed
        Files.writeString(out.resolve(".run.ckpt.k1l2.tmp"), "half a checkpoint");
        Files.writeString(out.resolve(".run_last.json.a9.tmp"), "half a model");
        Files.writeString(out.resolve(".other.json.x1.tmp"), "another run's name: kept");
        CliTest.Result r = CliTest.run("train", cfg.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<String> files = tree(out);
        assertFalse(files.contains(".run.ckpt.k1l2.tmp") || files.contains(".run_last.json.a9.tmp"), files.toString());
        assertTrue(files.contains(".other.json.x1.tmp") && files.contains("run.ckpt"), files.toString());
    }

    @Test
    void resumeNeedsACheckpointUnlessAskedToStartOver() throws IOException {
        Path data = tinyData(tmp.resolve("data"), 20);
        Path cfg = config(tmp, "run", 0, 2);
        String[] base = {"train", cfg.toString(), "--data", data.toString(), "--quiet"};
        Path typo = tmp.resolve("rnus");
        oneLineError(CliTest.run(concat(base, "--resume", typo.toString())), 1, "--resume " + typo + ": no such directory");
        assertFalse(Files.exists(typo));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        oneLineError(CliTest.run(concat(base, "--resume", empty.toString())), 1, "cannot resume: no checkpoint " + empty.resolve("run.ckpt"),
                "--resume-or-start");
        Path dangling = Files.createDirectories(tmp.resolve("dangling"));
        Files.createSymbolicLink(dangling.resolve("run.ckpt"), tmp.resolve("gone.ckpt"));
        oneLineError(CliTest.run(concat(base, "--resume", dangling.toString())), 1, "the checkpoint " + dangling.resolve("run.ckpt")
                + " is a link to a missing file");
        oneLineError(CliTest.run(concat(base, "--resume-or-start", dangling.toString())), 1, "is a link to a missing file");
        Path unreadable = Files.createDirectories(tmp.resolve("unreadable"));
        Files.createDirectories(unreadable.resolve("run.ckpt"));
        oneLineError(CliTest.run(concat(base, "--resume", unreadable.toString())), 1, unreadable.resolve("run.ckpt") + ": expected a checkpoint");
        CliTest.Result r = CliTest.run(concat(base, "--resume-or-start", empty.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("No checkpoint " + empty.resolve("run.ckpt") + " yet: starting from the beginning."), r.out());
        r = CliTest.run(concat(base, "--resume", empty.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Resuming from " + empty.resolve("run.ckpt")), r.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void nonFiniteOutputsAreRefusedAndAModelWithoutSoftmaxReportsNoLoss() throws IOException {
        Path data = tinyData(tmp.resolve("data"), 20);
        Sequential huge = Sequential.of(new Conv(3, 3, 2), new ReLU(), new MaxPool(2), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(3).build();
        for (Parameter p : huge.parameters()) {
            Arrays.fill(p.value(), 3e38f); // finite, so every reader accepts it; the outputs overflow
        }
        Path hugeFile = tmp.resolve("huge.json");
        NativeModelFormat.write(hugeFile, huge);
        oneLineError(CliTest.run("test", hugeFile.toString(), "--data", data.toString()), 1,
                hugeFile + ": the output for test sample 0 is NaN", "not finite");
        Path csv = tmp.resolve("rows.csv");
        Files.writeString(csv, ("0" + ",0".repeat(783) + "\n").repeat(3));
        Path sub = tmp.resolve("submission.csv");
        oneLineError(CliTest.run("predict", hugeFile.toString(), "--csv", csv.toString(), "--out", sub.toString()), 1,
                hugeFile + ": the output for CSV row 1 is NaN");
        assertFalse(Files.exists(sub), "no submission of label 0 for every row");

        Sequential plain = Sequential.of(new Conv(3, 3, 2), new ReLU(), new MaxPool(2), new Flatten(), new Dense(10)).input(1, 28, 28)
                .seed(3).build();
        Path plainFile = tmp.resolve("plain.json");
        NativeModelFormat.write(plainFile, plain);
        CliTest.Result r = CliTest.run("test", plainFile.toString(), "--data", data.toString(), "--png", tmp.resolve("c.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Mean loss: n/a (the last layer is Dense(10), not Softmax: the outputs are not probabilities"), r.out());
    }

    @Test
    void badLimitsAndThreadCountsAreOneLine() throws IOException {
        Path data = tinyData(tmp.resolve("data"), 20);
        Path cfg = config(tmp, "run", 0, 2);
        oneLineError(CliTest.run("train", cfg.toString(), "--data", data.toString(), "--limit", "-1", "--out", tmp.resolve("o").toString()), 2,
                "--limit must be at least 1, got -1");
        CliTest.Result r = CliTest.run("train", cfg.toString(), "--data", data.toString(), "--threads", "100000", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--threads 100000: expected 1 to " + Limits.maxThreads()), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void testReadsOnlyTheTestSetAndOnlyTheFirstLimitImages() throws IOException {
        Path data = tinyData(tmp.resolve("data"), 20);
        // a training set that is a gzip bomb: test never opens it
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(data.resolve("train-images-idx3-ubyte")))) {
            out.write(ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(1_900_000).putInt(28).putInt(28).array());
        }
        Sequential m = Sequential.of(new Conv(3, 3, 2), new ReLU(), new MaxPool(2), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(3).build();
        Path model = tmp.resolve("m.json");
        NativeModelFormat.write(model, m);
        CliTest.Result r = CliTest.run("test", model.toString(), "--data", data.toString(), "--limit", "7", "--png", tmp.resolve("c.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(") && r.out().contains(" / 7)"), r.out());
    }

    @Test
    void aNamedPipeAsConfigModelOrCsvIsRefusedAtOnce() throws Exception {
        Path fifo = tmp.resolve("fifo.json");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
        Path data = tinyData(tmp.resolve("data"), 20);
        Sequential m = Sequential.of(new Flatten(), new Dense(10), new Softmax()).input(1, 28, 28).build();
        Path model = tmp.resolve("m.json");
        NativeModelFormat.write(model, m);
        List<String[]> runs = List.of(new String[] {"summary", fifo.toString()},
                new String[] {"test", fifo.toString(), "--data", data.toString()},
                new String[] {"train", fifo.toString(), "--data", data.toString(), "--out", tmp.resolve("o").toString()},
                new String[] {"predict", model.toString(), "--csv", fifo.toString(), "--out", tmp.resolve("s.csv").toString()});
        for (String[] args : runs) {
            CliTest.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliTest.run(args), String.join(" ", args));
            oneLineError(r, 1, fifo.toString(), "found a named pipe");
        }
        Path dir = Files.createDirectories(tmp.resolve("adir.json"));
        oneLineError(CliTest.run("summary", dir.toString()), 1, dir + ": expected a JSON file (a regular file), found a directory");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
