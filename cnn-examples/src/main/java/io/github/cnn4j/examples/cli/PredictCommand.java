package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.mnist.KaggleCsv;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cnn4j predict MODEL --data test.csv}: writes a Kaggle {@code ImageId,Label} submission;
 * {@code cnn4j predict MODEL --data DIR|FILE...}: classifies image files ({@link FolderPrediction}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify the images of an unlabelled Kaggle CSV and write an ImageId,Label submission CSV,",
                "or classify image files (--data DIR|FILE...) and write file,class,<probability per class> rows."})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file: ONNX (.onnx), paper or cnn4j format.")
    Path modelFile;

    @Option(names = "--data", paramLabel = "DIR|FILE", arity = "1..*",
            description = "An unlabelled Kaggle CSV file (pixel0..pixel783 per row, header optional), or image files "
                    + "and folders searched for PNG, JPEG, BMP and GIF files.")
    List<Path> inputs;

    /** The Kaggle CSV option's former name, still accepted. */
    @Option(names = "--csv", paramLabel = "FILE", hidden = true)
    Path csv;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Decoding and prediction threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    ImageOptions images;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "submission.csv", description = "Output CSV (default: ${DEFAULT-VALUE} for a Kaggle CSV, predictions.csv for images).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if ((csv == null) == (inputs == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--data=DIR|FILE'");
        }
        if (csv == null && inputs.size() == 1 && inputs.get(0).getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            csv = inputs.get(0);
        } else if (csv == null) {
            boolean outGiven = spec.commandLine().getParseResult().hasMatchedOption("--out");
            return FolderPrediction.run(modelFile, inputs, outGiven ? out : Path.of("predictions.csv"), images, threads,
                    spec.commandLine().getOut());
        }
        Sequential model = ModelLoader.trained(modelFile);
        float[][] rows = KaggleCsv.readUnlabeled(csv);
        int[] labels = new int[rows.length];
        int k = model.outputShape().size();
        for (int i = 0; i < rows.length; i++) {
            float[] y = model.predict(rows[i]);
            for (int j = 0; j < k; j++) {
                if (!Float.isFinite(y[j])) {
                    throw new IllegalStateException(modelFile + ": the output for CSV row " + (i + 1) + " is " + y[j] + " (class " + j
                            + "): the model's outputs are not finite numbers (weights too large?); no submission written");
                }
            }
            labels[i] = Sequential.argmax(y, 0, k);
        }
        KaggleCsv.writeSubmission(out, labels);
        spec.commandLine().getOut().println("Wrote " + labels.length + " predictions to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
