package io.github.cnn4j.examples.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** How training progress is shown: a redrawn bar on a terminal, plain throttled lines otherwise, or not at all. */
public enum ProgressMode {
    /** A progress bar redrawn in place (only on a terminal: {@code \r} frames garble logs). */
    BAR,
    /** Plain lines, at most one every few seconds, with rate and ETA: for logs and pipes. */
    LINES,
    /** No progress output ({@code --quiet}); results such as epoch lines are still printed. */
    NONE;

    /**
     * @param quiet {@code --quiet} was given
     * @return NONE when quiet; BAR when the standard streams are a terminal (not a dumb one, not under CI); else LINES
     */
    public static ProgressMode choose(boolean quiet) {
        if (quiet) {
            return NONE;
        }
        boolean dumb = "dumb".equals(System.getenv("TERM")) || System.getenv("CI") != null;
        return !dumb && isTerminal(System.console()) ? BAR : LINES;
    }

    /**
     * Java 17 has a console only when both standard input and output are a terminal; newer JDKs may return
     * one for redirected streams too and tell the two apart with {@code Console.isTerminal()}.
     */
    static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
