package io.github.cnn4j.examples.cli;

import io.github.cnn4j.examples.plot.Charts;
import io.github.cnn4j.examples.plot.Images;
import io.github.cnn4j.io.json.ModelFiles;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cnn4j test MODEL.json}: accuracy, loss, per-class precision and recall, confusion matrix. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Evaluate a model (paper or cnn4j format) on the test set: accuracy, mean loss, per-class precision and recall, and a confusion-matrix PNG.")
public final class TestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.json", description = "A model in the paper's JSON format or cnn4j's native format.")
    Path modelFile;

    @Mixin
    DataOptions data;

    @Mixin
    ImageOptions images;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Prediction threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--png", paramLabel = "FILE", description = "Confusion-matrix image (default: MODEL_confusion.png next to the model).")
    Path png;

    @Override
    public Integer call() throws IOException {
        Sequential model = ModelFiles.load(modelFile);
        Dataset folder = FolderData.testSet(modelFile, model, data.data, images, threads);
        Dataset test = folder != null ? folder : data.load().test();
        String[] names = folder != null ? folder.classNames().toArray() : data.classNames();
        Evaluation ev = Evaluation.of(model, test, threads);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Model: " + modelFile + "  " + model);
        out.print(ev.toTable(names));
        out.println();
        out.println("Confusion matrix (rows: true class, columns: predicted):");
        out.print(ev.confusionTable(names));
        Path target = png != null ? png : sibling(modelFile, "_confusion.png");
        Images.writePng(Charts.render(Charts.confusionMatrix(ev.confusionMatrix(), "Confusion matrix: " + modelFile.getFileName(),
                names, 640, 600)), target);
        out.println("Wrote " + target);
        out.flush();
        return 0;
    }

    /** {@code dir/stem + suffix} for a file {@code dir/stem.ext}. */
    static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.toAbsolutePath().resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
    }
}
