package io.github.cnn4j.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files all-or-nothing: the content goes to a temporary file in the target's directory, is
 * forced to disk, and is then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}.
 * Readers see either the previous file or the complete new one; when writing fails the temporary
 * file is deleted and the previous file is untouched.
 *
 * <pre>{@code AtomicFiles.write(path, out -> out.write(bytes));}</pre>
 */
public final class AtomicFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically. Missing parent directories are created.
     *
     * @param target the file to create or replace
     * @param writer produces the whole content; if it throws, nothing is replaced
     * @throws IOException when writing, syncing or renaming fails (the target is then unchanged); the
     *                     message names the target and the cause ({@code cannot write out/cA.json: ...: No space left on device})
     */
    public static void write(Path target, StreamWriter writer) throws IOException {
        try {
            writeAtomically(target, writer);
        } catch (FormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + ReadableFiles.describe(e), e);
        }
    }

    private static void writeAtomically(Path target, StreamWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) {
            throw new IOException(target + ": cannot write a file without a parent directory");
        }
        Files.createDirectories(dir);
        Path tmp = createTemp(dir, abs.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream os = new BufferedOutputStream(new NonClosing(Channels.newOutputStream(ch)), 1 << 16);
                writer.writeTo(os);
                os.flush();
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
            LOG.debug("wrote {}", abs);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("could not delete temporary file {}: {}", tmp, e.toString());
                }
            }
        }
    }

    /**
     * Creates an empty temporary file beside a target, named {@code .<target name>.<random>.tmp}, with
     * the default permissions of new files (unlike {@link Files#createTempFile}, which makes it private).
     *
     * @param dir  the directory
     * @param name the target's file name
     * @return the new empty file
     * @throws IOException when it cannot be created
     */
    public static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path tmp = dir.resolve("." + name + "." + random + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes the temporary files that {@link #write} leaves beside {@code target} when the process
     * is killed while writing ({@code .<target name>.<random>.tmp}). Call it only when no other
     * process is writing {@code target}.
     *
     * @param target a file written with {@link #write}
     * @return how many temporary files were deleted
     * @throws IOException when the directory cannot be listed or a file cannot be deleted
     */
    public static int deleteTemporaries(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = "." + abs.getFileName() + ".";
        int deleted = 0;
        try (var files = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp") && n.length() > prefix.length() + 4
                    && n.substring(prefix.length(), n.length() - 4).matches("[0-9a-z]+");
        })) {
            for (Path p : files) {
                if (Files.deleteIfExists(p)) {
                    LOG.info("deleted {}, left by an interrupted write", p);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename durable where the platform allows opening a directory (Linux, macOS).
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("directory {} not synced: {}", dir, e.toString());
        }
    }

    /** Keeps the writer from closing the channel before it is forced. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
