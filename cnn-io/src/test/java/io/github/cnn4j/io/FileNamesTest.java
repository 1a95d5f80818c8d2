package io.github.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** A name taken from a file becomes a file name inside the output directory, never a path out of it. */
class FileNamesTest {

    @Test
    void plainNamesPass() {
        for (String ok : new String[] {"CNN_A", "model_B", "a.b", "a..b", "x", "run 1", "a-b~c", "a".repeat(FileNames.MAX_LENGTH)}) {
            assertNull(FileNames.problem(ok), ok);
            assertEquals(ok, FileNames.requireName(ok, "output_filename"));
        }
    }

    @Test
    void pathsSeparatorsDotsAndControlCharactersAreRefusedNamingTheFieldAndTheName() {
        String[][] cases = {
            {"../escaped", "contains '/'"}, {"/", "contains '/'"}, {"/etc/passwd", "contains '/'"}, {"nosuch/x", "contains '/'"},
            {"a\\b", "contains '\\'"}, {"", "empty"}, {".", "names a directory"}, {"..", "names a directory"},
            {".hidden", "starts with a dot"}, {"a\u0001b", "control character U+0001"}, {"a\nb", "control character U+000A"},
            {"C:x", "contains ':'"}, {"a\uD800b", "cannot hold"}, {"a".repeat(FileNames.MAX_LENGTH + 1), "more than " + FileNames.MAX_LENGTH},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileNames.requireName(c[0], "output_filename"));
            assertTrue(e.getMessage().startsWith("output_filename: expected a plain file name"), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), "one line even for names with line breaks: " + e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> FileNames.requireName(null, "x"));
    }

    /** Whatever a hostile file says, an accepted name resolves to a direct child of the output directory. */
    @Property(tries = 2000)
    void anAcceptedNameNeverLeavesTheDirectory(@ForAll("names") String name) {
        if (FileNames.problem(name) != null) {
            return;
        }
        Path dir = Path.of("/runs/out");
        Path target;
        try {
            target = dir.resolve(name + "_block_error.csv");
        } catch (InvalidPathException e) {
            throw new AssertionError("accepted a name the file system cannot hold: " + FileNames.quote(name), e);
        }
        assertEquals(dir, target.normalize().getParent(), FileNames.quote(name));
        assertEquals(name + "_block_error.csv", target.getFileName().toString());
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> parts = Arbitraries.of("..", ".", "/", "\\", "a", "B_1", ":", "\u0000", "\u001f", "~", " ", "é", "-");
        return Arbitraries.oneOf(parts.list().ofMaxSize(8).map(l -> String.join("", l)),
                Arbitraries.strings().all().ofMaxLength(12));
    }
}
