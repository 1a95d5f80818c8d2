package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.FormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config's output_filename is the stem of file names, never a path: a shared config cannot write outside the output directory. */
class OutputFilenameTest {
    @TempDir
    Path dir;

    private Path config(String outputFilename) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"seed\": 1, \"learning_rate\": 0.05, \"epochs\": 1, \"output_filename\": " + outputFilename
                + ", \"convolutional_layers\": [{\"kernel_count\": 2, \"kernel_dim\": 3, \"padding\": 0, \"pooling_dim\": 2}]}");
        return f;
    }

    @Test
    void pathsInOutputFilenameAreRefusedNamingTheFileAndTheField() throws IOException {
        String[][] cases = {{"\"../escaped\"", "contains '/'"}, {"\"/\"", "contains '/'"}, {"\"/etc/cron.d/x\"", "contains '/'"},
            {"\"nosuch/x\"", "contains '/'"}, {"\"..\"", "names a directory"}, {"\"\"", "empty"}, {"\"a\\u0007b\"", "U+0007"},
            {"\".ckpt\"", "starts with a dot"}};
        for (String[] c : cases) {
            Path f = config(c[0]);
            FormatException e = assertThrows(FormatException.class, () -> PaperFormat.readConfig(f), c[0]);
            assertTrue(e.getMessage().startsWith(f + ": output_filename: expected a plain file name"), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        assertEquals("CNN_A", PaperFormat.readConfig(config("\"CNN_A\"")).training().outputFilename());
        assertThrows(IllegalArgumentException.class, () -> new TrainingSettings(1, 0.1, 1, "../x"));
    }
}
