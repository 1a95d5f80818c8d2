package io.github.cnn4j.examples.cli;

import io.github.cnn4j.examples.paper.RunLog;
import io.github.cnn4j.io.json.PaperConfig;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.json.PaperModel;
import io.github.cnn4j.io.json.TrainingSettings;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.optim.Momentum;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import io.github.cnn4j.train.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cnn4j train CONFIG.json}: trains a model from a config in the paper's JSON format. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model from a config in the paper's JSON format.",
                "Evaluates the test set after every epoch, writes NAME.csv and NAME_block_error.csv,",
                "saves NAME_last.json after every epoch and NAME.json for the best epoch (atomically)."})
public final class TrainCommand implements Callable<Integer> {
    /** Optimizers selectable on the command line. */
    public enum OptimizerKind { SGD, MOMENTUM, ADAM }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.json", description = "Training config in the paper's format.")
    Path config;

    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "Override the config's epochs.")
    Integer epochs;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Override the config's learning rate.")
    Double learningRate;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1", description = "Samples per step; 1 = the paper's per-sample SGD (default).")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Worker threads for batches over 16 samples and for evaluation (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "SGD", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;

    @Option(names = "--shuffle", paramLabel = "MODE", defaultValue = "PAPER",
            description = "${COMPLETION-CANDIDATES}: PAPER = file order first, then 0.2*N random swaps per epoch (default: ${DEFAULT-VALUE}).")
    ShuffleMode shuffle;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "250", description = "Samples per row of the block-error log (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PaperConfig cfg = PaperFormat.readConfig(config);
        TrainingSettings s = cfg.training();
        TrainingSettings run = new TrainingSettings(s.seed(), learningRate != null ? learningRate : s.learningRate(),
                epochs != null ? epochs : s.epochs(), s.outputFilename());
        PrintWriter pw = spec.commandLine().getOut();
        MnistData d = data.load();
        Files.createDirectories(out);
        Sequential model = new PaperConfig(run, cfg.convolutionalLayers(), cfg.hiddenLayers()).buildModel();
        pw.print(model.summary());
        pw.flush();
        TrainingResult r = train(model, run, d, out, optimizer, batchSize, threads, shuffle, blockSize, quiet ? null : "train");
        pw.printf(Locale.ROOT, "Best epoch %d: test accuracy %.2f%% (%.0f samples/s). Model: %s%n",
                r.bestEpoch(), 100 * r.bestAccuracy(), r.samplesPerSecond(), out.resolve(run.outputFilename() + ".json"));
        return 0;
    }

    static Optimizer optimizer(OptimizerKind kind, double lr) {
        switch (kind) {
            case MOMENTUM:
                return new Momentum(lr, 0.9);
            case ADAM:
                return new Adam(lr);
            default:
                return new Sgd(lr);
        }
    }

    /**
     * Trains with logs and per-epoch saves, as {@code train} does.
     *
     * @return the result; the model holds the best epoch's weights afterwards
     */
    static TrainingResult train(Sequential model, TrainingSettings run, MnistData d, Path out, OptimizerKind opt,
                                int batchSize, int threads, ShuffleMode shuffle, int blockSize, String progressLabel) {
        RunLog log = new RunLog(out, run.outputFilename());
        TrainingListener saver = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats e) {
                try {
                    PaperFormat.writeModel(out.resolve(run.outputFilename() + "_last.json"), PaperModel.of(model, run, e.epoch()));
                    if (e.best()) {
                        PaperFormat.writeModel(out.resolve(run.outputFilename() + ".json"), PaperModel.of(model, run, e.epoch()));
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot save the model in " + out + ": " + ex.getMessage(), ex);
                }
            }
        };
        Trainer.Builder b = Trainer.builder(model)
                .optimizer(optimizer(opt, run.learningRate()))
                .epochs(run.epochs())
                .batchSize(batchSize)
                .threads(threads)
                .shuffle(shuffle)
                .seed(run.seed())
                .blockSize(blockSize)
                .testSet(d.test())
                .keepBest(true)
                .listener(log)
                .listener(saver);
        if (progressLabel != null) {
            b.listener(new ProgressListener(progressLabel, System.err));
        }
        return b.build().fit(d.train());
    }
}
