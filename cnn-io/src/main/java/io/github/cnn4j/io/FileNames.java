package io.github.cnn4j.io;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The one rule for names that come from a file or a config and become file names in an output
 * directory (the paper config's {@code output_filename}, data file names): such a name is a plain
 * file <em>name</em>, so nothing a shared file says can write outside the directory it is given.
 *
 * <p>Refused: an empty name, {@code /} or {@code \} anywhere (absolute paths, sub-directories,
 * {@code ../x}), the names {@code .} and {@code ..}, a leading dot (hidden files; cnn4j's temporary
 * files and lock file start with a dot), control characters, {@code :} (drive letters and alternate
 * streams on Windows), and names longer than {@value #MAX_LENGTH} characters (suffixes such as
 * {@code _block_error.csv} must still fit the file system's 255-byte limit).
 *
 * <pre>{@code String stem = FileNames.requireName(config.outputFilename(), "output_filename");}</pre>
 */
public final class FileNames {
    /** Longest name accepted, in characters. */
    public static final int MAX_LENGTH = 200;
    /** How the JVM encodes file names (unpaired surrogates and, on some systems, non-ASCII names cannot be encoded). */
    private static final Charset FILE_NAME_CHARSET = charset(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private FileNames() {
    }

    /**
     * @param name a proposed file name
     * @return why it is not a plain file name, or null when it is one
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "the name is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "the name has " + name.length() + " characters, more than " + MAX_LENGTH;
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' names a directory";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "the name contains '" + c + "' (a path, not a file name)";
            }
        }
        if (name.charAt(0) == '.') {
            return "the name starts with a dot (hidden and temporary files)";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ':') {
                return "the name contains ':'";
            }
            if (Character.isISOControl(c)) {
                return String.format("the name contains the control character U+%04X", (int) c);
            }
        }
        if (!FILE_NAME_CHARSET.newEncoder().canEncode(name)) {
            return "the name has characters that file names here cannot hold (" + FILE_NAME_CHARSET + ")";
        }
        return null;
    }

    /**
     * Checks a name that will become a file name.
     *
     * @param name  the proposed name
     * @param field what it is, for the message (e.g. {@code output_filename})
     * @return {@code name}
     * @throws IllegalArgumentException naming the field, the name and the problem
     */
    public static String requireName(String name, String field) {
        String p = problem(name);
        if (p != null) {
            throw new IllegalArgumentException(field + ": expected a plain file name (no directories), found "
                    + quote(name) + ": " + p);
        }
        return name;
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * @param name any string
     * @return it in quotes, control characters escaped, cut at 80 characters
     */
    static String quote(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < name.length() && i < 80; i++) {
            char c = name.charAt(i);
            sb.append(Character.isISOControl(c) || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append(name.length() > 80 ? "...\"" : "\"").toString();
    }
}
