package io.github.cnn4j.io.fetch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the {@code .tgz} that {@code npm pack} writes, with Apache Commons Compress. Commons Compress
 * is an optional dependency of cnn-io: this is the only class that refers to it, and it is loaded
 * only when the fetcher's npm fallback runs, so library users who never need that fallback do not
 * carry it (the {@code cnn4j} tool does).
 */
final class NpmTarball {
    /** The class whose presence {@link #available()} checks. */
    static final String TAR_CLASS = "org.apache.commons.compress.archivers.tar.TarArchiveInputStream";

    /** Receives the regular files of the archive, in archive order. */
    interface FileVisitor {
        /**
         * @param name    the entry's path in the archive, e.g. {@code package/data/train-images-idx3-ubyte.gz}
         * @param content the entry's bytes (must not be closed)
         * @return whether to read further entries
         * @throws IOException when handling the entry fails in a way that stops the walk
         */
        boolean visit(String name, InputStream content) throws IOException;
    }

    private NpmTarball() {
    }

    /** @return whether Commons Compress is on the class path */
    static boolean available() {
        try {
            Class.forName(TAR_CLASS, false, NpmTarball.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Walks the regular files of a gzip-compressed tar archive.
     *
     * @param tgz     the archive
     * @param visitor called once per regular file until it returns false
     * @throws IOException when the archive cannot be read, or the visitor throws
     */
    static void forEachFile(Path tgz, FileVisitor visitor) throws IOException {
        try (InputStream fin = Files.newInputStream(tgz);
             GZIPInputStream gz = new GZIPInputStream(new BufferedInputStream(fin, 1 << 16), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && !visitor.visit(e.getName(), tar)) {
                    return;
                }
            }
        }
    }
}
