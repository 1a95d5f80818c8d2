package io.github.cnn4j.io.mnist;

import io.github.cnn4j.io.FileNames;

import java.util.HexFormat;
import java.util.Locale;

/**
 * One file of a data set as the fetcher installs it: its name in the cache directory, its
 * uncompressed size and the SHA-256 of its uncompressed content.
 *
 * @param name   file name, e.g. {@code train-images-idx3-ubyte} (no directories)
 * @param size   uncompressed size in bytes, or -1 when not known
 * @param sha256 SHA-256 of the uncompressed content, 64 hex digits
 */
public record DataFile(String name, long size, String sha256) {
    /** Validates the fields and normalizes the checksum to lower case. */
    public DataFile {
        FileNames.requireName(name, "data file name");
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
