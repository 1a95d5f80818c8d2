package io.github.cnn4j.io.fetch;

import io.github.cnn4j.io.FileNames;

import java.util.HexFormat;
import java.util.Locale;

/**
 * One file as a {@link FileFetcher} installs it: its path relative to the cache directory, its size
 * and the SHA-256 of its (uncompressed) content.
 *
 * @param name   relative path with {@code /} separators, e.g. {@code train-images-idx3-ubyte} or
 *               {@code models/CNN_A.json}; no empty, {@code .} or {@code ..} segments, no segment
 *               starting with a dot, no backslash
 * @param size   uncompressed size in bytes, or -1 when not known
 * @param sha256 SHA-256 of the uncompressed content, 64 hex digits
 */
public record DataFile(String name, long size, String sha256) {
    /** Validates the fields and normalizes the checksum to lower case. */
    public DataFile {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a data file name must be a relative path with / separators, got " + name);
        }
        for (String segment : name.split("/", -1)) {
            FileNames.requireName(segment, "data file name " + name); // no empty, hidden, . or .. parts, no separators
        }
        if (size < -1) {
            throw new IllegalArgumentException("size must be >= 0 or -1 (unknown), got " + size);
        }
        if (sha256 == null || sha256.length() != 64) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits, got " + sha256);
        }
        HexFormat.of().parseHex(sha256);
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }
}
