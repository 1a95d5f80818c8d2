package io.github.cnn4j.examples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The {@code cnn4j} command: {@code java -jar cnn-examples/target/cnn4j.jar <command> ...}.
 * Every error prints one line ({@link CliErrors}) and exits non-zero: 1 when the command failed, 2 on
 * a usage error; {@code --verbose} adds the stack trace.
 */
@Command(name = "cnn4j", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "Build, train, test and run convolutional networks; reproduce the paper's models A-F.",
        subcommands = {FetchCommand.class, TrainCommand.class, TestCommand.class, ReproduceCommand.class,
                DrawCommand.class, SummaryCommand.class, PredictCommand.class, ExportCommand.class, BenchCommand.class, ModernCommand.class,
                CommandLine.HelpCommand.class})
public final class Cnn4jCli {
    /** Exit code of a command that failed. */
    static final int FAILED = 1;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the tool without exiting the JVM (for tests and embedding).
     *
     * @param args command-line arguments
     * @param out  standard output
     * @param err  standard error
     * @return the exit code: 0 on success, 1 on a failure, 2 on a usage error
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", isDrawCommand(args) ? "false" : "true"));
        CommandLine cl = new CommandLine(new Cnn4jCli());
        cl.setOut(out);
        cl.setErr(err);
        wrapDescriptionsAtSpaces(cl);
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("cnn4j: " + CliErrors.usage(ex));
            cmd.getErr().flush();
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, commandLine, parseResult));
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return runLast.execute(parseResult);
            } catch (OutOfMemoryError | java.awt.AWTError e) {
                // picocli passes only Exceptions to the handler; these errors are user errors too
                CommandLine cmd = parseResult.subcommands().isEmpty() ? parseResult.commandSpec().commandLine()
                        : parseResult.subcommands().get(parseResult.subcommands().size() - 1).commandSpec().commandLine();
                return report(e, cmd, parseResult);
            }
        });
        return cl.execute(args);
    }

    /** Prints one line for the error (and the stack trace with --verbose). */
    private static int report(Throwable ex, CommandLine commandLine, ParseResult parseResult) {
        boolean verbose = parseResult.hasMatchedOption("--verbose")
                || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
        PrintWriter err = commandLine.getErr();
        err.println("cnn4j: " + CliErrors.message(ex));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    /**
     * picocli wraps descriptions with a line-break iterator that also breaks after a dot inside a word
     * ({@code NAME_block_error.} / {@code csv}); this tool's own descriptions are wrapped at spaces only.
     */
    private static void wrapDescriptionsAtSpaces(CommandLine cl) {
        if (!(cl.getCommand() instanceof CommandLine.HelpCommand)) {
            cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, help -> {
                int width = help.commandSpec().usageMessage().width();
                StringBuilder sb = new StringBuilder();
                for (String paragraph : help.commandSpec().usageMessage().description()) {
                    sb.append(wrap(paragraph, width));
                }
                return sb.toString();
            });
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            wrapDescriptionsAtSpaces(sub);
        }
    }

    /** @return the text in lines of at most {@code width} characters, broken at spaces, each ending in a newline */
    static String wrap(String text, int width) {
        StringBuilder sb = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                sb.append(line).append(System.lineSeparator());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        return sb.append(line).append(System.lineSeparator()).toString();
    }

    private static boolean isDrawCommand(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a.equals("draw");
            }
        }
        return false;
    }
}
