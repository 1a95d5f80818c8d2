package io.github.cnn4j.examples.cli;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.examples.plot.Charts;
import io.github.cnn4j.examples.plot.Images;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cnn4j test MODEL.json}: accuracy, loss, per-class precision and recall, confusion matrix. */
@Command(name = "test", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = {"Evaluate a model (paper or cnn4j format) on labelled data: accuracy, mean loss, per-class precision "
                + "and recall, and a confusion matrix, printed and written as OUT/MODEL_confusion.png.",
                "The data is every sample of a CSV file given with --data, the t10k files of an IDX directory, "
                        + "or the test set of the fetched cache."})
public final class TestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model: ONNX (.onnx), the paper's JSON format or cnn4j's native format.")
    Path modelFile;

    @Mixin
    DataSourceOptions data;

    @Mixin
    ImageOptions images;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Prediction threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Directory for the confusion-matrix image (default: the working directory).")
    Path out;

    @Option(names = "--png", paramLabel = "FILE", description = "Confusion-matrix image file (default: MODEL_confusion.png in the --out directory).")
    Path png;

    @Override
    public Integer call() throws IOException {
        Limits.requireThreads(spec, "--threads", threads);
        Sequential model = ModelLoader.trained(modelFile);
        data.checkLimit();
        Dataset folder = FolderData.testSet(modelFile, model, data.data, images, threads);
        Dataset test = folder != null ? data.limited(folder) : data.loadEvaluationSet();
        String[] names = folder != null ? folder.classNames().toArray() : data.classNames();
        Limits.requireInference(modelFile, model, test.size(), threads);
        float[] outputs = model.predict(test, threads);
        Limits.requireFinite(modelFile, outputs, model.outputShape().size(), "test sample");
        Evaluation ev = Evaluation.of(test.labels(), outputs, test.classes());
        PrintWriter pw = spec.commandLine().getOut();
        pw.println("Model: " + modelFile + "  " + model);
        pw.printf("Data: %s, %d labelled samples%n", data.describe(), test.size());
        pw.print(ev.toTable(names, Limits.notProbabilities(model)));
        pw.println();
        pw.println("Confusion matrix (rows: true class, columns: predicted):");
        pw.print(ev.confusionTable(names));
        Path target = png != null ? png : out.resolve(stem(modelFile) + "_confusion.png").normalize();
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Images.writePng(Charts.render(Charts.confusionMatrix(ev.confusionMatrix(), "Confusion matrix: " + modelFile.getFileName(),
                names, 640, 600)), target);
        pw.println("Wrote " + target);
        pw.flush();
        return 0;
    }

    /** @return the file name without its extension */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
