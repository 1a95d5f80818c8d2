package io.github.cnn4j.examples.cli;

import java.awt.AWTError;
import java.awt.HeadlessException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * Turns what went wrong into the one line the tool prints: what failed, naming the file or option,
 * and what to do about it. The stack trace is printed only with {@code --verbose}.
 */
public final class CliErrors {
    private CliErrors() {
    }

    /**
     * @param error what a command threw
     * @return one line without the {@code cnn4j: } prefix
     */
    public static String message(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "no such file or directory; check the path");
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied" + (f.getReason() != null ? " (" + f.getReason() + ")" : "")
                    + "; use a file or folder you may read and write (e.g. another --out DIR)";
        }
        if (e instanceof NotDirectoryException f) {
            return f.getFile() + ": not a directory";
        }
        if (e instanceof FileSystemException f) {
            return oneLine(f.getMessage());
        }
        if (e instanceof HeadlessException || e instanceof AWTError) {
            String why = e.getMessage() == null || e instanceof HeadlessException ? ""
                    : " (" + oneLine(e.getMessage()).replaceAll("\\.$", "") + ")";
            return "draw needs a display, and there is none" + why + ": set DISPLAY to a running X server, "
                    + "or run under a virtual one: xvfb-run java -jar cnn4j.jar draw MODEL.json";
        }
        if (e instanceof OutOfMemoryError) {
            return String.format(Locale.ROOT, "out of memory (this JVM may use at most %d MB): run with a larger heap, "
                    + "e.g. java -Xmx4g -jar cnn4j.jar ..., or use less data (--limit N) or fewer threads",
                    Runtime.getRuntime().maxMemory() >> 20);
        }
        if (e instanceof Error || e instanceof NullPointerException || e instanceof IndexOutOfBoundsException
                || e instanceof ClassCastException || e instanceof ArithmeticException || e instanceof NegativeArraySizeException) {
            return "internal error: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()))
                    + " (please report it with the output of --verbose)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
    }

    /**
     * @return the exception that says what happened, inside wrappers (of threads, of unchecked rethrows)
     *         that add nothing; a wrapper with a message of its own (context such as the epoch) is kept
     */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t instanceof CommandLine.ExecutionException
                || isWrapper(t) && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString())))) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean isWrapper(Throwable t) {
        return t instanceof UncheckedIOException || t instanceof ExecutionException || t instanceof CompletionException
                || t instanceof InvocationTargetException || t.getClass() == RuntimeException.class;
    }

    /**
     * A message of several lines (e.g. every fetch attempt) keeps its first line and says how to see the rest.
     *
     * @param message a message, possibly of several lines
     * @return one line
     */
    static String oneLine(String message) {
        List<String> lines = message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.size() <= 1) {
            return lines.isEmpty() ? "" : lines.get(0);
        }
        String first = lines.get(0);
        if (first.endsWith(":")) {
            first = first.substring(0, first.length() - 1);
        }
        return first + " (" + (lines.size() - 1) + " more line(s) of detail with --verbose)";
    }

    /**
     * @param e   a usage error
     * @return one line: picocli's message, a suggestion when there is one, and where to read the usage
     */
    static String usage(CommandLine.ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        StringBuilder sb = new StringBuilder(oneLine(String.valueOf(e.getMessage())));
        if (e instanceof CommandLine.UnmatchedArgumentException u && cmd.getParent() == null && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            sb.setLength(0);
            sb.append("unknown command '").append(u.getUnmatched().get(0)).append('\'');
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            sb.append("; did you mean ").append(String.join(" or ", u.getSuggestions())).append('?');
        }
        sb.append(" (see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help')");
        return sb.toString();
    }
}
