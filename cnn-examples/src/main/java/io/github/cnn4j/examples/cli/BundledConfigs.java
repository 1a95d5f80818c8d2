package io.github.cnn4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The configs shipped in {@code cnn-examples/configs} are also packaged in the jar (see the module's
 * pom), so that {@code cnn4j modern} or {@code cnn4j train model_B.json} work from any directory: a
 * config path that is not a file but names a bundled config ({@code modern.json} or
 * {@code cnn-examples/configs/modern.json}) is read from the class path.
 */
public final class BundledConfigs {
    /** Names of the bundled configs. */
    public static final List<String> NAMES = List.of("model_A.json", "model_B.json", "model_C.json", "model_D.json",
            "model_E.json", "model_F.json", "modern.json", "resnet.json");

    /** Class-path folder of the bundled configs. */
    private static final String FOLDER = "/io/github/cnn4j/examples/paper/";

    private BundledConfigs() {
    }

    /**
     * @param path a config path as given on the command line
     * @param note where to say that the bundled copy is used
     * @return {@code path} when it is a file, else a copy of the bundled config it names
     * @throws NoSuchFileException when it is neither a file nor a bundled config
     * @throws IOException         when the bundled copy cannot be written to the temporary folder
     */
    public static Path resolve(Path path, PrintWriter note) throws IOException {
        if (Files.exists(path)) {
            return path;
        }
        String name = bundledName(path);
        if (name == null) {
            throw new NoSuchFileException(path.toString(), null,
                    "no such file (bundled configs, usable by name from any folder: " + String.join(", ", NAMES) + ")");
        }
        Path dir = Files.createTempDirectory("cnn4j-config");
        Path copy = dir.resolve(name);
        try (InputStream in = BundledConfigs.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new NoSuchFileException(path.toString(), null, "no such file, and " + name + " is missing from the jar");
            }
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        copy.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        note.println("Using the bundled config " + name + (path.getNameCount() > 1 ? " (" + path + " is not a file here)" : "") + ".");
        note.flush();
        return copy;
    }

    /** @return the bundled config's name when {@code path} is one's bare name or ends in {@code configs/NAME}, else null */
    static String bundledName(Path path) {
        Path file = path.getFileName();
        if (file == null || !NAMES.contains(file.toString())) {
            return null;
        }
        Path parent = path.getParent();
        return parent == null || parent.getFileName().toString().equals("configs") ? file.toString() : null;
    }
}
