package io.github.cnn4j.examples.cli;

import io.github.cnn4j.examples.paper.RunLog;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.checkpoint.Checkpoint;
import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.io.json.ModelFileKind;
import io.github.cnn4j.io.json.ModelFiles;
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
import io.github.cnn4j.train.TrainingState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cnn4j train CONFIG.json}: trains a model from a config in the paper's JSON format, or an
 * architecture in cnn4j's native format on any data ({@link NativeTraining}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model from a config in the paper's JSON format, or a cnn4j-format architecture",
                "(e.g. configs/modern.json) on --data: a folder of class folders of images, a labelled CSV or MNIST IDX files.",
                "Evaluates the test set after every epoch, writes NAME.csv and NAME_block_error.csv,",
                "saves NAME_last.json after every epoch and NAME.json for the best epoch (atomically),",
                "and the checkpoint NAME.ckpt after every epoch and every few minutes. A killed run",
                "continues with the same command plus --resume DIR and ends as if never stopped."})
public final class TrainCommand implements Callable<Integer> {
    /** Optimizers selectable on the command line. */
    public enum OptimizerKind { SGD, MOMENTUM, ADAM }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.json", description = "Training config in the paper's format, or a cnn4j-format architecture.")
    Path config;

    @Mixin
    DataOptions data;

    @Mixin
    TrainDataOptions trainData;

    @Mixin
    ImageOptions images;

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

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run whose output directory is DIR from its checkpoint NAME.ckpt; give the same config "
                    + "and options (--epochs may be larger). Starts from the beginning (and says so) when DIR has no checkpoint yet.")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
            description = "Also write a checkpoint every N training samples (default: after every epoch and by time only).")
    long checkpointEvery;

    @Option(names = "--checkpoint-minutes", paramLabel = "M", defaultValue = "5",
            description = "Write a checkpoint at least every M minutes within an epoch; 0 = never by time (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    /** Settings recorded in checkpoints that must not change when a run is resumed, with their option names. */
    private static final Map<String, String> FIXED = Map.of("optimizer", "--optimizer", "learning_rate", "--learning-rate",
            "batch_size", "--batch-size", "shuffle", "--shuffle", "block_size", "--block-size", "seed", "the config's seed",
            "architecture", "the config's layers");

    @Override
    public Integer call() throws IOException {
        if (checkpointEvery < 0 || !(checkpointMinutes >= 0) || Double.isInfinite(checkpointMinutes)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoint-every and --checkpoint-minutes must be >= 0");
        }
        if (resume != null && spec.commandLine().getParseResult().hasMatchedOption("--out") && !resume.equals(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume DIR is the run's output directory: leave out --out");
        }
        if (ModelFiles.detect(config) == ModelFileKind.CNN4J_MODEL) {
            if (resume != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume works with the paper's configs only");
            }
            return NativeTraining.run(this);
        }
        Path dir = resume != null ? resume : out;
        if (resume != null && Files.exists(resume) && !Files.isDirectory(resume)) {
            throw new IOException("--resume " + resume + ": not a directory");
        }
        PaperConfig cfg = PaperFormat.readConfig(config);
        TrainingSettings s = cfg.training();
        TrainingSettings run = new TrainingSettings(s.seed(), learningRate != null ? learningRate : s.learningRate(),
                epochs != null ? epochs : s.epochs(), s.outputFilename());
        PrintWriter pw = spec.commandLine().getOut();
        MnistData d = data.load();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the output directory " + dir + ": " + e.getMessage(), e);
        }
        Sequential model = new PaperConfig(run, cfg.convolutionalLayers(), cfg.hiddenLayers()).buildModel();
        Path ckpt = dir.resolve(run.outputFilename() + ".ckpt");
        Map<String, String> fixed = fixedSettings(model, run);
        TrainingState from = null;
        if (resume != null) {
            from = resumeState(ckpt, model, fixed, pw);
        }
        pw.print(model.summary());
        pw.flush();
        Checkpointing cp = new Checkpointing(ckpt, checkpointEvery, Duration.ofMillis(Math.round(checkpointMinutes * 60_000)), fixed, from);
        TrainingResult r = train(model, run, d, dir, optimizer, batchSize, threads, shuffle, blockSize, quiet ? null : "train", cp);
        pw.printf(Locale.ROOT, "Best epoch %d: test accuracy %.2f%% (%.0f samples/s). Model: %s%n",
                r.bestEpoch(), 100 * r.bestAccuracy(), r.samplesPerSecond(), dir.resolve(run.outputFilename() + ".json"));
        return 0;
    }

    private Map<String, String> fixedSettings(Sequential model, TrainingSettings run) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer.name());
        m.put("learning_rate", Double.toString(run.learningRate()));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("shuffle", shuffle.name());
        m.put("block_size", Integer.toString(blockSize));
        m.put("seed", Long.toString(run.seed()));
        m.put("architecture", model.toString() + " " + model.inputShape());
        return m;
    }

    /** Reads the checkpoint of a run to resume and checks that this command continues that run. */
    private TrainingState resumeState(Path ckpt, Sequential model, Map<String, String> fixed, PrintWriter pw) throws IOException {
        String name = ckpt.getFileName().toString();
        String stem = name.substring(0, name.length() - ".ckpt".length());
        for (String f : List.of(name, stem + ".csv", stem + "_block_error.csv", stem + ".json", stem + "_last.json")) {
            AtomicFiles.deleteTemporaries(ckpt.resolveSibling(f));
        }
        if (!Files.exists(ckpt)) {
            pw.println("No checkpoint " + ckpt + " yet: starting from the beginning.");
            return null;
        }
        Checkpoint c = CheckpointFormat.read(ckpt);
        StringBuilder diff = new StringBuilder();
        for (Map.Entry<String, String> e : fixed.entrySet()) {
            String was = c.metadata().get(e.getKey());
            if (!e.getValue().equals(was)) {
                diff.append(diff.length() == 0 ? "" : "; ").append(FIXED.get(e.getKey())).append(" was ").append(was)
                        .append(", now ").append(e.getValue());
            }
        }
        if (diff.length() > 0) {
            throw new IllegalArgumentException("cannot resume from " + ckpt + ": the run was made with other settings: " + diff);
        }
        TrainingState st = c.state();
        pw.printf(Locale.ROOT, "Resuming from %s: epoch %d, sample %d of %d%s.%n", ckpt, st.epoch(), st.position(),
                st.settings().trainSize(), st.epochFinished() ? " (epoch finished)" : "");
        return st;
    }

    /**
     * Where and how often to checkpoint, and where to continue from.
     *
     * @param file     the checkpoint file
     * @param every    also every this many samples (0: not by count)
     * @param interval also at least this often within an epoch (zero: not by time)
     * @param metadata settings stored in the checkpoint, compared on resume
     * @param from     the state to continue from, or null
     */
    record Checkpointing(Path file, long every, Duration interval, Map<String, String> metadata, TrainingState from) {
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
     * Trains with logs, per-epoch saves and checkpoints, as {@code train} does.
     *
     * @param checkpoints where and how often to checkpoint (null: no checkpoints)
     * @return the result; the model holds the best epoch's weights afterwards
     */
    static TrainingResult train(Sequential model, TrainingSettings run, MnistData d, Path out, OptimizerKind opt,
                                int batchSize, int threads, ShuffleMode shuffle, int blockSize, String progressLabel,
                                Checkpointing checkpoints) {
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
        if (checkpoints == null) {
            return b.build().fit(d.train());
        }
        b.checkpoints(CheckpointFormat.sink(checkpoints.file(), model, checkpoints.metadata()))
                .checkpointEvery(checkpoints.every())
                .checkpointInterval(checkpoints.interval());
        return b.build().fit(d.train(), checkpoints.from());
    }
}
