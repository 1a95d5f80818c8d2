package io.github.cnn4j.io.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per run directory: a second one is refused while the first lives, and a dead one's lock is taken over. */
class RunDirectoryLockTest {
    @TempDir
    Path dir;

    /** Run in a child JVM: locks the directory given, says so, and waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            RunDirectoryLock lock = RunDirectoryLock.acquire(Path.of(args[0]));
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(120_000);
            lock.close();
        }
    }

    @Test
    void aSecondWriterInThisJvmIsRefusedUntilTheFirstEnds() throws IOException {
        try (RunDirectoryLock first = RunDirectoryLock.acquire(dir)) {
            assertEquals(dir, first.directory());
            IOException e = assertThrows(IOException.class, () -> RunDirectoryLock.acquire(dir));
            assertEquals(dir + " is in use by another cnn4j run (process " + ProcessHandle.current().pid()
                    + "); wait for it to end or choose another directory", e.getMessage());
        }
        try (RunDirectoryLock again = RunDirectoryLock.acquire(dir)) {
            assertTrue(Files.isRegularFile(dir.resolve(RunDirectoryLock.FILE_NAME)));
        }
    }

    @Test
    void anotherProcessHoldsItUntilItIsKilledThenTheLockIsTakenOver() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", cp, Holder.class.getName(), dir.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            assertTrue(line != null && line.startsWith("locked "), "the child said: " + line);
            IOException e = assertThrows(IOException.class, () -> RunDirectoryLock.acquire(dir));
            assertTrue(e.getMessage().contains("in use by another cnn4j run (process " + p.pid() + ")"), e.getMessage());
        } finally {
            p.destroyForcibly(); // SIGKILL: no chance to release anything
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(dir.resolve(RunDirectoryLock.FILE_NAME)), "the dead run's lock file stays behind");
        try (RunDirectoryLock taken = RunDirectoryLock.acquire(dir)) {
            assertEquals("pid " + ProcessHandle.current().pid(), Files.readString(dir.resolve(RunDirectoryLock.FILE_NAME)).strip());
        }
    }

    @Test
    void aLockFileReplacedByALinkIsRefused() throws IOException {
        Path target = Files.writeString(dir.resolve("elsewhere"), "keep");
        Files.createSymbolicLink(dir.resolve(RunDirectoryLock.FILE_NAME), target);
        IOException e = assertThrows(IOException.class, () -> RunDirectoryLock.acquire(dir));
        assertTrue(e.getMessage().contains("found a link or special file"), e.getMessage());
        assertEquals("keep", Files.readString(target));
    }
}
