package io.github.cnn4j.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a file's whole content to a stream; used with {@link AtomicFiles#write(java.nio.file.Path, StreamWriter)}.
 */
@FunctionalInterface
public interface StreamWriter {
    /**
     * @param out the destination (buffered; closing it is not needed and has no effect)
     * @throws IOException when writing fails or the content turns out to be invalid; the target
     *                     file is then left as it was
     */
    void writeTo(OutputStream out) throws IOException;
}
