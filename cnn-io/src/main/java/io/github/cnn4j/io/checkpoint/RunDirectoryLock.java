package io.github.cnn4j.io.checkpoint;

import io.github.cnn4j.io.ReadableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per run directory: an exclusive lock on {@code DIR/.cnn4j.lock}, taken with
 * {@link FileChannel#tryLock()} before a run writes anything into {@code DIR} and held until it ends.
 * A second run (another process, or another thread of this JVM) is refused at once with one line
 * naming the directory and the process that holds it.
 *
 * <p>The operating system releases the lock when its process dies, however it dies, so a lock left
 * by a killed run is taken over by the next one: the file itself may stay behind, only the lock on it
 * counts. The file holds the process id of the holder, for the message only.
 *
 * <pre>{@code try (RunDirectoryLock lock = RunDirectoryLock.acquire(out)) { ... write into out ... }}</pre>
 */
public final class RunDirectoryLock implements AutoCloseable {
    /** Name of the lock file inside the run directory. */
    public static final String FILE_NAME = ".cnn4j.lock";
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectoryLock.class);

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectoryLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks a run directory (which must exist).
     *
     * @param dir the run's output directory
     * @return the held lock; close it when the run ends
     * @throws IOException when another run holds it (the message names the directory and, when known,
     *                     the holder's process id), or the lock file cannot be created
     */
    public static RunDirectoryLock acquire(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + ": expected the run directory's lock file, found a link or special file; remove it");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IOException("cannot lock the run directory " + dir + ": " + ReadableFiles.describe(e), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot lock the run directory " + dir + ": " + ReadableFiles.describe(e), e);
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new IOException(dir + " is in use by another cnn4j run" + holder + "; wait for it to end or choose another directory");
        }
        try {
            byte[] pid = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            LOG.debug("could not record the process id in {}: {}", file, e.toString());
        }
        LOG.debug("locked {}", dir);
        return new RunDirectoryLock(dir, ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(64);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
            return s.matches("pid [0-9]{1,19}") ? " (process " + s.substring(4) + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the locked directory */
    public Path directory() {
        return dir;
    }

    /** Releases the lock (the file stays; an unlocked file means nothing). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
