package io.github.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("sub/model.json");
        AtomicFiles.write(f, out -> out.write("one".getBytes(StandardCharsets.UTF_8)));
        assertEquals("one", Files.readString(f));
        AtomicFiles.write(f, out -> {
            out.write("two".getBytes(StandardCharsets.UTF_8));
            out.close(); // closing early is harmless
        });
        assertEquals("two", Files.readString(f));
        assertEquals(List.of("model.json"), TestFiles.list(f.getParent()));
    }

    @Test
    void failureLeavesThePreviousFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("model.json");
        Files.writeString(f, "previous");
        byte[] big = new byte[1 << 20];
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(big); // more than the buffer: part of it reaches the temporary file
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("cannot write " + f + ": disk full (simulated)", e.getMessage());
        assertArrayEquals("previous".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
        assertEquals(List.of("model.json"), TestFiles.list(dir));
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(dir.resolve("new.json"), out -> {
            out.write(1);
            throw new IllegalStateException("bug in a writer");
        }));
        assertEquals(List.of("model.json"), TestFiles.list(dir));
    }

    @Test
    void deletesOnlyTheTemporariesOfItsTarget() throws IOException {
        Path f = dir.resolve("run.ckpt");
        Files.writeString(f, "current");
        Path stale = AtomicFiles.createTemp(dir, "run.ckpt"); // as left by a process killed while writing
        Files.writeString(stale, "half");
        Files.writeString(dir.resolve(".run.ckpt.notours"), "x");
        Files.writeString(dir.resolve(".other.json.abc123.tmp"), "x");
        assertEquals(1, AtomicFiles.deleteTemporaries(f));
        assertEquals(List.of(".other.json.abc123.tmp", ".run.ckpt.notours", "run.ckpt"), TestFiles.list(dir));
        assertEquals("current", Files.readString(f));
        assertEquals(0, AtomicFiles.deleteTemporaries(dir.resolve("missing/x.json")));
    }
}
