package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md's Java example must be exactly the body of {@code src/it/readme-example}'s main method,
 * which the build compiles as a separate project depending on cnn-core and cnn-io.
 */
class ReadmeExampleTest {
    @Test
    void readmeExampleIsTheCompiledIntegrationProject() throws IOException {
        Path root = Path.of(System.getProperty("cnn4j.repoRoot", ".."));
        String readme = Files.readString(root.resolve("README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has a ```java block");
        String shown = m.group(1).strip();

        String src = Files.readString(root.resolve("cnn-examples/src/it/readme-example/src/main/java/QuickStart.java"));
        int from = src.indexOf("        MnistData");
        int to = src.lastIndexOf("    }\n}");
        assertTrue(from > 0 && to > from, "QuickStart.java has the expected layout");
        StringBuilder body = new StringBuilder();
        for (String line : src.substring(from, to).split("\n")) {
            body.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        assertEquals(body.toString().strip(), shown);
        assertTrue(shown.lines().count() <= 16, "the README example stays short: " + shown.lines().count() + " lines");
    }
}
