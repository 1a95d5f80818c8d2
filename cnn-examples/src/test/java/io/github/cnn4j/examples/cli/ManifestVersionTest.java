package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code cnn4j --version} prints one line naming the tool (from classes, not a jar, the version is unknown). */
class ManifestVersionTest {
    @Test
    void versionLineNamesTheTool() {
        CliTest.Result r = CliTest.run("--version");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().startsWith("cnn4j "), r.out());
        String expected = Cnn4jCli.class.getPackage().getImplementationVersion();
        assertTrue(r.out().contains(expected == null ? "version unknown" : expected), r.out());
    }
}
