package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped configs are found from any working directory (the tests run in cnn-examples, not the repository root). */
class BundledConfigsTest {
    private static final Path CONFIGS = Path.of(System.getProperty("cnn4j.repoRoot", "..")).resolve("cnn-examples/configs");

    @Test
    void everyShippedConfigIsBundledUnchanged() throws IOException {
        try (var files = Files.list(CONFIGS)) {
            assertEquals(BundledConfigs.NAMES.stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "BundledConfigs.NAMES lists configs/");
        }
        for (String name : BundledConfigs.NAMES) {
            StringWriter note = new StringWriter();
            Path copy = BundledConfigs.resolve(Path.of(name), new PrintWriter(note));
            assertArrayEquals(Files.readAllBytes(CONFIGS.resolve(name)), Files.readAllBytes(copy), name);
            assertTrue(note.toString().startsWith("Using the bundled config " + name), note.toString());
        }
    }

    @Test
    void anExistingFileIsUsedAsItIs(@TempDir Path dir) throws IOException {
        Path own = Files.writeString(dir.resolve("modern.json"), "{}");
        StringWriter note = new StringWriter();
        assertEquals(own, BundledConfigs.resolve(own, new PrintWriter(note)));
        assertEquals("", note.toString());
    }

    @Test
    void onlyBareNamesOrConfigsPathsMeanTheBundledCopy(@TempDir Path dir) {
        assertEquals("modern.json", BundledConfigs.bundledName(Path.of("modern.json")));
        assertEquals("model_C.json", BundledConfigs.bundledName(Path.of("cnn-examples/configs/model_C.json")));
        assertNull(BundledConfigs.bundledName(Path.of("mine/modern.json")), "a user's own missing file is an error");
        assertNull(BundledConfigs.bundledName(Path.of("model_G.json")));
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> BundledConfigs.resolve(dir.resolve("mine/modern.json"), new PrintWriter(new StringWriter())));
        assertTrue(e.getReason().contains("modern.json"), e.getReason());
    }

    @Test
    void modernFindsItsDefaultConfigOutsideTheRepositoryRoot() {
        // the working directory is cnn-examples: cnn-examples/configs/modern.json is not a file here
        Assumptions.assumeFalse(Files.exists(Path.of(ModernCommand.DEFAULT_CONFIG)), "runs where the default path is not a file");
        CliTest.Result r = CliTest.run("modern", "--epochs", "0");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("Using the bundled config modern.json"), r.out());
        assertTrue(r.err().contains("--epochs must be >= 1"), "read the config, then checked the options: " + r.err());
    }
}
