package io.github.cnn4j.io.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.TestFiles;
import io.github.cnn4j.io.json.JsonLimits;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.train.TrainingState;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint files of real training runs: exact round trip, exact resume, atomic saves, clear rejections. */
class CheckpointFormatTest {
    private static Dataset train;
    private static Dataset test;
    private static List<TrainingState> states;
    private static float[][] uninterrupted;

    @TempDir
    Path dir;

    @BeforeAll
    static void run() {
        train = Fixtures.train(600);
        test = Fixtures.test(200);
        states = new ArrayList<>();
        Sequential m = Fixtures.modelD();
        Fixtures.trainer(m, test, 2).checkpoints(states::add).checkpointEvery(250).build().fit(train);
        uninterrupted = Fixtures.weights(m);
    }

    private static TrainingState midEpoch2() {
        return states.stream().filter(s -> s.epoch() == 2 && !s.epochFinished()).findFirst().orElseThrow();
    }

    @Test
    void roundTripIsExactAndResumingFromTheFileEndsBitIdentical() throws IOException {
        TrainingState s = midEpoch2();
        assertNotNull(s.best(), "epoch 1 finished: the best weights are kept");
        Path file = dir.resolve("run.ckpt");
        CheckpointFormat.write(file, Fixtures.modelD(), s, Map.of("config", "model_D.json", "note", "ünïcode"));
        Checkpoint c = CheckpointFormat.read(file);
        TrainingState r = c.state();
        assertEquals(Map.of("config", "model_D.json", "note", "ünïcode"), c.metadata());
        assertEquals(s.settings(), r.settings());
        assertEquals(s.epoch(), r.epoch());
        assertEquals(s.position(), r.position());
        assertEquals(s.rngState(), r.rngState());
        assertArrayEquals(s.order(), r.order());
        assertEquals(Double.doubleToRawLongBits(s.epochLoss()), Double.doubleToRawLongBits(r.epochLoss()));
        assertEquals(Double.doubleToRawLongBits(s.blockLoss()), Double.doubleToRawLongBits(r.blockLoss()));
        assertEquals(s.blockCount(), r.blockCount());
        assertEquals(s.samplesSeen(), r.samplesSeen());
        assertEquals(s.epochNanos(), r.epochNanos());
        assertEquals(s.trainNanos(), r.trainNanos());
        assertEquals(s.history(), r.history());
        assertEquals(s.blockHistory(), r.blockHistory());
        assertEquals(s.bestEpoch(), r.bestEpoch());
        assertEquals(s.bestAccuracy(), r.bestAccuracy(), 0);
        for (int i = 0; i < s.parameters().length; i++) {
            assertArrayEquals(s.parameters()[i], r.parameters()[i], 0f);
            assertArrayEquals(s.best()[i], r.best()[i], 0f);
            assertArrayEquals(s.parameters()[i], c.model().parameters().get(i).value(), 0f);
            assertArrayEquals(s.best()[i], c.bestModel().parameters().get(i).value(), 0f);
        }
        assertEquals(s.optimizer().type(), r.optimizer().type());
        assertEquals(s.optimizer().steps(), r.optimizer().steps());
        assertEquals(s.optimizer().learningRate(), r.optimizer().learningRate());
        assertEquals(s.optimizer().hyperparameters(), r.optimizer().hyperparameters());
        assertEquals(List.of("m", "v"), List.copyOf(r.optimizer().slots().keySet()));
        for (String k : List.of("m", "v")) {
            for (int i = 0; i < s.parameters().length; i++) {
                assertArrayEquals(s.optimizer().slots().get(k)[i], r.optimizer().slots().get(k)[i], 0f);
            }
        }
        // continue from the file in a fresh model and optimizer
        Sequential resumed = Fixtures.modelD();
        Fixtures.trainer(resumed, test, 2).build().fit(train, r);
        float[][] w = Fixtures.weights(resumed);
        for (int i = 0; i < w.length; i++) {
            assertArrayEquals(uninterrupted[i], w[i], 0f, "parameter " + i);
        }
        // writing the same state again gives the same bytes
        Path again = dir.resolve("again.ckpt");
        CheckpointFormat.write(again, c.model(), r, c.metadata());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }

    @Test
    void theSinkReplacesTheFileAndLeavesNoTemporaries() throws IOException {
        Path file = dir.resolve("sub/run.ckpt");
        Sequential m = Fixtures.modelD();
        Fixtures.trainer(m, test, 1).checkpoints(CheckpointFormat.sink(file, m, Map.of("k", "v"))).checkpointEvery(250)
                .build().fit(train);
        Checkpoint c = CheckpointFormat.read(file);
        assertTrue(c.state().epochFinished());
        assertEquals(1, c.state().epoch());
        assertEquals(List.of("run.ckpt"), TestFiles.list(file.getParent()));
    }

    /** Fails with "No space left on device" after a number of bytes, like a full disk. */
    static final class FullDisk extends FilterOutputStream {
        private long left;

        FullDisk(OutputStream out, long bytes) {
            super(out);
            this.left = bytes;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                left = 0;
                throw new IOException("No space left on device");
            }
            out.write(b, off, len);
            left -= len;
        }
    }

    @Test
    void aFullDiskLeavesThePreviousCheckpointUntouched() throws IOException {
        Path file = dir.resolve("run.ckpt");
        CheckpointFormat.write(file, Fixtures.modelD(), states.get(0), Map.of());
        byte[] before = Files.readAllBytes(file);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file,
                out -> CheckpointFormat.write(new FullDisk(out, 20_000), Fixtures.modelD(), midEpoch2(), Map.of())));
        assertEquals("cannot write " + file + ": No space left on device", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("run.ckpt"), TestFiles.list(dir));
        assertEquals(states.get(0).position(), CheckpointFormat.read(file).state().position());
    }

    @Test
    void anUnwritableDirectoryIsReportedAndNothingIsTouched() throws IOException {
        // Tests may run as root, for whom permissions do not stop writes: a directory whose parent is a
        // regular file cannot be created by anyone.
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a regular file");
        Path file = blocker.resolve("runs/run.ckpt");
        IOException e = assertThrows(IOException.class, () -> CheckpointFormat.write(file, Fixtures.modelD(), states.get(0), Map.of()));
        assertTrue(e.getMessage().startsWith("cannot write checkpoint " + file + " (the previous checkpoint is unchanged): "),
                e.getMessage());
        assertTrue(e.getMessage().contains("blocker"), e.getMessage());
        assertEquals("a regular file", Files.readString(blocker));
        assertEquals(List.of("blocker"), TestFiles.list(dir));
    }

    @Test
    void otherFilesAndDamagedOnesAreRejectedWithClearMessages() throws IOException {
        Path good = dir.resolve("good.ckpt");
        CheckpointFormat.write(good, Fixtures.modelD(), midEpoch2(), Map.of());
        byte[] b = Files.readAllBytes(good);

        Path nat = dir.resolve("model.json");
        NativeModelFormat.write(nat, Fixtures.modelD());
        FormatException e = assertThrows(FormatException.class, () -> CheckpointFormat.read(nat));
        assertTrue(e.getMessage().startsWith(nat + ": not a cnn4j checkpoint: expected the magic bytes \"CNN4JCKP\", found \"{\\x0a"),
                e.getMessage());

        e = assertThrows(FormatException.class, () -> CheckpointFormat.read(write("short", Arrays.copyOf(b, 40))));
        assertTrue(e.getMessage().contains("truncated: a checkpoint has at least 48 bytes, the file has 40"), e.getMessage());

        e = assertThrows(FormatException.class, () -> CheckpointFormat.read(write("cut", Arrays.copyOf(b, b.length - 1000))));
        assertTrue(e.getMessage().contains("checksum mismatch: the file is damaged"), e.getMessage());

        byte[] flipped = b.clone();
        flipped[b.length / 2] ^= 1;
        e = assertThrows(FormatException.class, () -> CheckpointFormat.read(write("flip", flipped)));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());

        byte[] newer = b.clone();
        ByteBuffer.wrap(newer).putInt(8, 3);
        e = assertThrows(FormatException.class, () -> CheckpointFormat.read(write("newer", Corrupt.reseal(newer))));
        assertTrue(e.getMessage().contains("version 3 is newer than this cnn4j reads (2)"), e.getMessage());

        JsonLimits small = new JsonLimits(10_000, 1 << 20, 64, 100);
        e = assertThrows(FormatException.class, () -> CheckpointFormat.read(good, small));
        assertTrue(e.getMessage().contains("bytes, more than the limit of 10000"), e.getMessage());

        // structural damage behind a valid checksum (a hostile or buggy writer)
        byte[] hostile = b.clone();
        ByteBuffer.wrap(hostile).putLong(16 + 2 + 5, Long.MAX_VALUE / 2); // the state section's length
        e = assertThrows(FormatException.class, () -> CheckpointFormat.read(write("hostile", Corrupt.reseal(hostile))));
        assertTrue(e.getMessage().contains("section 'state' length: claims 4611686018427387903 bytes"), e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }
}
