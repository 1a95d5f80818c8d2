package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.json.ModelFileKind;
import io.github.cnn4j.io.json.ModelFiles;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cnn4j summary MODEL}: layers, output shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Print a model's layers, output shapes and parameter counts.")
public final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (paper or cnn4j format) or a paper config.")
    Path modelFile;

    @Override
    public Integer call() throws IOException {
        Sequential model = ModelFiles.detect(modelFile) == ModelFileKind.PAPER_CONFIG
                ? PaperFormat.readConfig(modelFile).buildModel()
                : ModelFiles.load(modelFile);
        spec.commandLine().getOut().print(model.summary());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
