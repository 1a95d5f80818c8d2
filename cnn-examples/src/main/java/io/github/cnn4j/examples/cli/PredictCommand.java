package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.mnist.KaggleCsv;
import io.github.cnn4j.io.json.ModelFiles;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cnn4j predict MODEL --csv test.csv}: writes a Kaggle {@code ImageId,Label} submission;
 * {@code cnn4j predict MODEL --data DIR|FILE...}: classifies image files ({@link FolderPrediction}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify the images of an unlabelled Kaggle CSV and write an ImageId,Label submission CSV,",
                "or classify image files (--data DIR|FILE...) and write file,class,<probability per class> rows."})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (paper or cnn4j format).")
    Path modelFile;

    @Option(names = "--csv", paramLabel = "FILE", description = "Unlabelled CSV: pixel0..pixel783 per row (header optional).")
    Path csv;

    @Option(names = "--data", paramLabel = "DIR|FILE", arity = "1..*",
            description = "Image files, or folders searched for PNG, JPEG, BMP and GIF files (writes predictions.csv unless --out).")
    List<Path> inputs;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Decoding and prediction threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    ImageOptions images;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "submission.csv", description = "Submission file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if ((csv == null) == (inputs == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --csv FILE or --data DIR|FILE...");
        }
        if (inputs != null) {
            boolean outGiven = spec.commandLine().getParseResult().hasMatchedOption("--out");
            return FolderPrediction.run(modelFile, inputs, outGiven ? out : Path.of("predictions.csv"), images, threads,
                    spec.commandLine().getOut());
        }
        Sequential model = ModelFiles.load(modelFile);
        float[][] images = KaggleCsv.readUnlabeled(csv);
        int[] labels = new int[images.length];
        for (int i = 0; i < images.length; i++) {
            labels[i] = model.classify(images[i]);
        }
        KaggleCsv.writeSubmission(out, labels);
        spec.commandLine().getOut().println("Wrote " + labels.length + " predictions to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
