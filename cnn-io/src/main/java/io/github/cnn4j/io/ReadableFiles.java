package io.github.cnn4j.io;

import io.github.cnn4j.model.MemoryBudget;
import io.github.cnn4j.model.MemoryBudgetException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one check every reader makes before opening a file: it must be a regular file (after
 * following links). A named pipe, a device or a directory is refused up front, so no read can
 * block forever on a pipe nobody writes, or fail later with a bare {@code Is a directory}.
 * Also turns the JDK's terse file-system errors into one line naming the file and the cause.
 */
public final class ReadableFiles {
    private ReadableFiles() {
    }

    /**
     * @param file the file a reader is about to open
     * @param what what the file should be, for the message (e.g. {@code "a model"})
     * @return its size in bytes
     * @throws IOException naming the file and what it is instead (missing, a directory, a named pipe or
     *                     other special file, unreadable)
     */
    public static long requireRegular(Path file, String what) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, Files.isSymbolicLink(file)
                    ? "expected " + what + ", found a link to a missing file"
                    : "no such file or directory; check the path (expected " + what + ")");
        } catch (IOException e) {
            throw new IOException(file + ": cannot read " + what + ": " + describe(e), e);
        }
        if (!a.isRegularFile()) {
            String kind = a.isDirectory() ? "a directory" : a.isOther() ? "a named pipe, socket or device" : "not a regular file";
            throw new FileSystemException(file.toString(), null, "expected " + what + " (a regular file), found " + kind);
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file.toString(), null, "expected " + what + ", the file is not readable");
        }
        return a.size();
    }

    /**
     * Checks that reading a file will not exceed the {@link MemoryBudget}, before it is read.
     *
     * @param file  the file
     * @param bytes what reading it will allocate
     * @param what  what the figure is made of
     * @throws FormatException naming the file, the figure and the limit when it does not fit
     */
    public static void requireMemory(Path file, long bytes, String what) throws FormatException {
        try {
            MemoryBudget.current().require(String.valueOf(file), bytes, what);
        } catch (MemoryBudgetException e) {
            throw new FormatException(file, e.detail(), e);
        }
    }

    /**
     * One line for an I/O error: for file-system errors the file and the reason
     * ({@code out/cA.json: No space left on device}), which the JDK's message may leave out
     * (a {@code NoSuchFileException}'s message is only the path).
     *
     * @param e the error
     * @return a message naming the file when known, and the cause
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fe) {
            String reason = fe.getReason();
            if (reason == null) {
                reason = switch (e.getClass().getSimpleName()) {
                    case "NoSuchFileException" -> "no such file or directory";
                    case "AccessDeniedException" -> "permission denied";
                    case "FileAlreadyExistsException" -> "already exists";
                    case "NotDirectoryException" -> "not a directory";
                    case "DirectoryNotEmptyException" -> "directory not empty";
                    case "NotLinkException" -> "not a link";
                    default -> e.getClass().getSimpleName();
                };
            }
            String file = fe.getFile();
            String other = fe.getOtherFile();
            return (file == null ? "" : file + (other == null ? "" : " -> " + other) + ": ") + reason;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
