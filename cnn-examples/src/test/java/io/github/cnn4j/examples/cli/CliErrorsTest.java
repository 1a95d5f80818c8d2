package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.AWTError;
import java.awt.HeadlessException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user error is one line that names the thing and what to do, with a non-zero exit and no stack trace. */
class CliErrorsTest {
    static void assertOneLine(CliTest.Result r, int code) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().startsWith("cnn4j: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Usage:"), r.err());
    }

    @Test
    void aMissingModelFileSaysSoAndWhatToDo(@TempDir Path dir) {
        CliTest.Result r = CliTest.run("test", dir.resolve("pub/nope.json").toString());
        assertOneLine(r, 1);
        assertTrue(r.err().contains("pub/nope.json: no such file or directory; check the path"), r.err());
        assertOneLine(CliTest.run("summary", dir.resolve("nope.json").toString()), 1);
        assertOneLine(CliTest.run("export", dir.resolve("nope.json").toString(), dir.resolve("x.onnx").toString()), 1);
    }

    @Test
    void missingDataIsNamedBeforeAnythingIsRead(@TempDir Path dir) {
        CliTest.Result r = CliTest.run("train", "model_A.json", "--data", dir.resolve("absent.csv").toString(), "--out", dir.toString());
        assertOneLine(r, 1);
        assertTrue(r.err().contains("absent.csv: no such file or directory (--data)"), r.err());
    }

    @Test
    void aBadOptionValueIsOneLinePointingToTheHelp() {
        CliTest.Result r = CliTest.run("train", "model_A.json", "--epochs", "many");
        assertOneLine(r, 2);
        assertTrue(r.err().contains("'many' is not an int") && r.err().contains("(see 'cnn4j train --help')"), r.err());
        CliTest.Result missing = CliTest.run("test");
        assertOneLine(missing, 2);
        assertTrue(missing.err().contains("MODEL") && missing.err().contains("see 'cnn4j test --help'"), missing.err());
        CliTest.Result unknownOption = CliTest.run("summary", "--colour", "x.json");
        assertOneLine(unknownOption, 2);
        assertTrue(unknownOption.err().contains("--colour"), unknownOption.err());
        CliTest.Result unknownCommand = CliTest.run("tset");
        assertOneLine(unknownCommand, 2);
        assertTrue(unknownCommand.err().contains("unknown command 'tset'") && unknownCommand.err().contains("see 'cnn4j --help'"),
                unknownCommand.err());
    }

    @Test
    void drawWithoutADisplayIsOneLine(@TempDir Path dir) {
        // the test JVM has no display: either headless or no X server to connect to
        CliTest.Result r = CliTest.run("draw", dir.resolve("model.json").toString());
        assertOneLine(r, 1);
        assertTrue(r.err().contains("draw needs a display") && r.err().contains("xvfb-run"), r.err());
    }

    @Test
    void exceptionTypesMapToMessagesThatSayWhatToDo() {
        assertEquals("m.json: no such file or directory; check the path", CliErrors.message(new NoSuchFileException("m.json")));
        assertEquals("m.json: no such file or directory; check the path",
                CliErrors.message(new UncheckedIOException(new NoSuchFileException("m.json"))));
        assertEquals("m.json: no such file or directory; check the path",
                CliErrors.message(new ExecutionException(new UncheckedIOException(new NoSuchFileException("m.json")))));
        assertEquals("cannot save the model in runs: m.json", CliErrors.message(new UncheckedIOException(
                "cannot save the model in runs: m.json", new NoSuchFileException("m.json"))), "the context is kept");
        assertTrue(CliErrors.message(new AccessDeniedException("/ro/runs")).startsWith("/ro/runs: permission denied; "));
        assertTrue(CliErrors.message(new AWTError("Can't connect to X11 window server using ':0'."))
                .startsWith("draw needs a display, and there is none (Can't connect to X11 window server using ':0'): set DISPLAY"));
        assertTrue(CliErrors.message(new HeadlessException()).startsWith("draw needs a display"));
        String oom = CliErrors.message(new OutOfMemoryError("Java heap space"));
        assertTrue(oom.startsWith("out of memory") && oom.contains("-Xmx"), oom);
        assertEquals("--epochs must be >= 1, got 0", CliErrors.message(new IllegalArgumentException("--epochs must be >= 1, got 0")));
        assertEquals("could not fetch MNIST into /c (2 more line(s) of detail with --verbose)",
                CliErrors.message(new IOException("could not fetch MNIST into /c:\n  a: offline\n  b: offline")));
        assertTrue(CliErrors.message(new NullPointerException("x")).startsWith("internal error: java.lang.NullPointerException: x"));
        for (Throwable t : new Throwable[] {new IOException((String) null), new IllegalStateException("a\nb")}) {
            assertEquals(1, CliErrors.message(t).lines().count());
        }
    }
}
