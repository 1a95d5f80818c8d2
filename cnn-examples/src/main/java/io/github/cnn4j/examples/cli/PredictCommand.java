package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.mnist.KaggleCsv;
import io.github.cnn4j.io.json.ModelFiles;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cnn4j predict MODEL --data test.csv}: writes a Kaggle {@code ImageId,Label} submission. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify the images of an unlabelled Kaggle CSV and write an ImageId,Label submission CSV.")
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (paper or cnn4j format).")
    Path modelFile;

    @Option(names = "--data", paramLabel = "FILE", description = "Required: an unlabelled CSV, pixel0..pixel783 per row (header optional).")
    Path csv;

    /** The option's former name, still accepted. */
    @Option(names = "--csv", paramLabel = "FILE", hidden = true)
    void setCsv(Path file) {
        csv = file;
    }

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "submission.csv", description = "Submission file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (csv == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--data=FILE'");
        }
        Sequential model = ModelFiles.load(modelFile);
        float[][] images = KaggleCsv.readUnlabeled(csv);
        int[] labels = new int[images.length];
        int k = model.outputShape().size();
        for (int i = 0; i < images.length; i++) {
            float[] y = model.predict(images[i]);
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
