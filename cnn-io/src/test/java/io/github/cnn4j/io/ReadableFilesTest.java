package io.github.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.io.csv.LabeledCsv;
import io.github.cnn4j.io.image.ImageDecoder;
import io.github.cnn4j.io.image.ImageLimits;
import io.github.cnn4j.io.json.ModelFiles;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.mnist.IdxReader;
import io.github.cnn4j.io.mnist.KaggleCsv;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only regular files are read: a named pipe that nobody writes, a directory, a dangling link or a
 * missing file is refused at once by every reader, with the file and what it is in the message.
 */
class ReadableFilesTest {
    @TempDir
    Path dir;

    private interface Read {
        void run(Path p) throws Exception;
    }

    private static Map<String, Read> readers() {
        Map<String, Read> m = new LinkedHashMap<>();
        m.put("paper config", PaperFormat::readConfig);
        m.put("paper model", PaperFormat::readModel);
        m.put("native model", NativeModelFormat::read);
        m.put("model of either format", ModelFiles::load);
        m.put("labelled CSV", KaggleCsv::readLabeled);
        m.put("unlabelled CSV", KaggleCsv::readUnlabeled);
        m.put("IDX", IdxReader::read);
        m.put("checkpoint", CheckpointFormat::read);
        m.put("labelled CSV of any width", f -> LabeledCsv.builder(f).read());
        m.put("image", f -> ImageDecoder.decode(f, 1, ImageLimits.DEFAULT));
        return m;
    }

    private static void refusedByEveryReader(Path p, String expected) {
        for (Map.Entry<String, Read> r : readers().entrySet()) {
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(IOException.class, () -> r.getValue().run(p)),
                    r.getKey() + " blocked on " + p);
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains(expected), r.getKey() + ": " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void aNamedPipeIsRefusedNotReadForever() throws Exception {
        Path fifo = dir.resolve("fifo.json");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo on this system: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        refusedByEveryReader(fifo, "found a named pipe, socket or device");
    }

    @Test
    void aDirectoryADanglingLinkAndAMissingFileAreNamed() throws IOException {
        Path d = Files.createDirectory(dir.resolve("model.json"));
        refusedByEveryReader(d, "found a directory");
        Path link = dir.resolve("link.json");
        Files.createSymbolicLink(link, dir.resolve("gone.json"));
        refusedByEveryReader(link, "a link to a missing file");
        refusedByEveryReader(dir.resolve("missing.json"), "no such file");
        assertThrows(NoSuchFileException.class, () -> ReadableFiles.requireRegular(dir.resolve("missing.json"), "a model"));
        assertThrows(FileSystemException.class, () -> ReadableFiles.requireRegular(d, "a model"));
    }

    @Test
    void aRegularFileAndALinkToOnePass() throws IOException {
        Path f = Files.writeString(dir.resolve("f.json"), "{}");
        assertEquals(2, ReadableFiles.requireRegular(f, "a model"));
        Path link = Files.createSymbolicLink(dir.resolve("l.json"), f);
        assertEquals(2, ReadableFiles.requireRegular(link, "a model"));
    }

    @Test
    void fileSystemErrorsNameTheFileAndTheCause() {
        assertEquals("out/cA.json: no such file or directory", ReadableFiles.describe(new NoSuchFileException("out/cA.json")));
        assertEquals("out/cA.json: No space left on device",
                ReadableFiles.describe(new FileSystemException("out/cA.json", null, "No space left on device")));
        assertEquals("Is a directory", ReadableFiles.describe(new IOException("Is a directory")));
        assertEquals("IOException", ReadableFiles.describe(new IOException()));
    }

    @Test
    void aFailedWriteNamesTheTargetAndTheCause() throws IOException {
        Path target = dir.resolve("cA.json");
        Files.createDirectories(target.resolve("occupied")); // the rename over a non-empty directory fails
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> out.write(1)));
        assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("cA.json"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
