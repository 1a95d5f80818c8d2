package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every {@code --help} reads well at 80 columns: no long lines, no description cut short, no word broken. */
class HelpTextTest {
    static List<String> commands() {
        return new CommandLine(new Cnn4jCli()).getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
    }

    /** The text as words separated by single spaces: a word broken across lines does not match its whole self. */
    static String words(String text) {
        return Arrays.stream(text.split("\\R")).map(String::strip).collect(Collectors.joining(" ")).replaceAll("\\s+", " ").strip();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void usageFitsInEightyColumnsAndHoldsTheWholeDescription(String command) {
        CliTest.Result r = CliTest.run(command, "--help");
        assertEquals(0, r.code(), r.err());
        for (String line : r.out().split("\\R")) {
            assertTrue(line.length() <= 80, command + " --help has a line of " + line.length() + " characters: " + line);
        }
        CommandLine.Model.CommandSpec spec = new CommandLine(new Cnn4jCli()).getSubcommands().get(command).getCommandSpec();
        String usage = words(r.out());
        for (String paragraph : spec.usageMessage().description()) {
            assertTrue(usage.contains(words(paragraph)), command + " --help lacks or breaks: " + paragraph + "\n" + r.out());
        }
        // words with a dot inside (file names such as NAME_block_error.csv) are never split across lines
        for (CommandLine.Model.ArgSpec arg : spec.args()) {
            if (arg.hidden()) {
                continue;
            }
            for (String d : arg.description()) {
                for (String w : d.split("\\s+")) {
                    if (w.matches(".*\\w\\.\\w.*") && !w.contains("${")) {
                        assertTrue(usage.contains(w), command + " --help breaks '" + w + "':\n" + r.out());
                    }
                }
            }
        }
    }

    @Test
    void theCommandListShowsEachCommandsWholeFirstParagraph() {
        CliTest.Result r = CliTest.run("--help");
        assertEquals(0, r.code(), r.err());
        String usage = words(r.out());
        CommandLine root = new CommandLine(new Cnn4jCli());
        for (String c : commands()) {
            String first = root.getSubcommands().get(c).getCommandSpec().usageMessage().description()[0];
            assertTrue(usage.contains(words(first)), "cnn4j --help cuts the description of " + c + ":\n" + r.out());
        }
        r.out().lines().forEach(l -> assertTrue(l.length() <= 80, l));
    }

    @Test
    void listOptionsHaveAReadableSynopsis() {
        String reproduce = CliTest.run("reproduce", "--help").out();
        assertTrue(reproduce.contains("--models=MODEL[,MODEL...]"), reproduce);
        String bench = CliTest.run("bench", "--help").out();
        assertTrue(bench.contains("--models=MODEL[,MODEL...]") && bench.contains("--only=KIND[,KIND...]"), bench);
        assertFalse(reproduce.contains("A,B,...") || bench.contains("A,B,..."), "the old garbled label");
    }

    @Test
    void oneNameForWhereTheDataIs() {
        for (String c : List.of("fetch", "train", "test", "reproduce", "bench", "modern", "predict")) {
            String usage = CliTest.run(c, "--help").out();
            assertTrue(usage.contains("--data="), c + ": " + usage);
            assertFalse(usage.contains("--dir") || usage.contains("--csv"), c + ": " + usage);
        }
        // the old name of fetch's option is still accepted
        CommandLine cl = new CommandLine(new Cnn4jCli());
        CommandLine.ParseResult pr = cl.parseArgs("fetch", "--dir", "somewhere");
        FetchCommand fetch = (FetchCommand) pr.subcommand().commandSpec().userObject();
        assertEquals(java.nio.file.Path.of("somewhere"), fetch.dir);
        PredictCommand predict = (PredictCommand) new CommandLine(new Cnn4jCli()).parseArgs("predict", "m.json", "--csv", "t.csv")
                .subcommand().commandSpec().userObject();
        assertEquals(java.nio.file.Path.of("t.csv"), predict.csv);
        CliErrorsTest.assertOneLine(CliTest.run("predict", "m.json"), 2);
    }

    @Property
    void wrappingKeepsEveryWordAndTheWidth(@ForAll @Size(min = 1, max = 40) List<@StringLength(min = 1, max = 12) @net.jqwik.api.constraints.AlphaChars String> words,
                                           @ForAll @IntRange(min = 12, max = 100) int width) {
        String text = String.join(" ", words) + ".json";
        String wrapped = Cnn4jCli.wrap(text, width);
        assertEquals(text, words(wrapped));
        for (String line : wrapped.split("\\R")) {
            assertTrue(line.length() <= width || !line.contains(" "), line);
        }
    }
}
