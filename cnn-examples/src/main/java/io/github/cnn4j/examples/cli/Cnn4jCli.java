package io.github.cnn4j.examples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code cnn4j} command: {@code java -jar cnn-examples/target/cnn4j.jar <command> ...}.
 * Errors print one line and exit non-zero; {@code --verbose} adds the stack trace.
 */
@Command(name = "cnn4j", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "Build, train, test and run convolutional networks; reproduce the paper's models A-F.",
        subcommands = {FetchCommand.class, TrainCommand.class, TestCommand.class, ReproduceCommand.class,
                DrawCommand.class, SummaryCommand.class, PredictCommand.class, ExportCommand.class, BenchCommand.class, ModernCommand.class,
                CommandLine.HelpCommand.class})
public final class Cnn4jCli {
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
        Cnn4jCli root = new Cnn4jCli();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            if (verbose) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
                commandLine.getErr().println("cnn4j: " + msg);
            }
            commandLine.getErr().flush();
            return 1;
        });
        return cl.execute(args);
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
