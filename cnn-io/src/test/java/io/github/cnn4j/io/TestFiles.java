package io.github.cnn4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** Small helpers to build test files. */
public final class TestFiles {
    private TestFiles() {
    }

    /**
     * @param type    IDX type code
     * @param dims    dimensions
     * @param payload raw elements
     * @return an IDX file's bytes
     */
    public static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer bb = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        bb.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            bb.putInt(d);
        }
        bb.put(payload);
        return bb.array();
    }

    /**
     * @param data bytes
     * @return their gzip compression
     */
    public static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(data);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param dir a directory
     * @return the names of the files in it, sorted
     */
    public static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
