package io.github.cnn4j.examples.cli;

import io.github.cnn4j.examples.paper.RunLog;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.ReadableFiles;
import io.github.cnn4j.io.checkpoint.Checkpoint;
import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.io.checkpoint.RunDirectoryLock;
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
import io.github.cnn4j.train.CheckpointSink;
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
import java.nio.file.LinkOption;
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
@Command(name = "train", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = {"Train a model from a config in the paper's JSON format, or a cnn4j-format architecture "
                        + "(e.g. modern.json) on --data: a folder of class folders of images, a labelled CSV file or MNIST IDX files.",
                "Evaluates the test set after every epoch; writes the logs NAME.csv and NAME_block_error.csv, "
                        + "the model NAME_last.json after every epoch and NAME.json for the best epoch, and the checkpoint "
                        + "NAME.ckpt after every epoch and every few minutes, all into --out DIR. A killed run continues "
                        + "with the same command plus --resume DIR and ends as if never stopped (paper configs).",
                "The test set: the t10k files beside the training data; with one labelled CSV file, "
                        + "--test-data PATH or --holdout FRACTION. The bundled configs (model_A.json ... modern.json) "
                        + "can be named from any folder."})
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

    @Option(names = "--quiet", description = "No progress display (epoch lines are still printed).")
    boolean quiet;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run whose output directory is DIR from its checkpoint NAME.ckpt; give the same config "
                    + "and options (--epochs may be larger). A missing, dangling or damaged checkpoint is an error.")
    Path resume;

    @Option(names = "--resume-or-start", paramLabel = "DIR",
            description = "As --resume DIR, but start from the beginning (and say so) when DIR has no checkpoint yet.")
    Path resumeOrStart;

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
        if (resume != null && resumeOrStart != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --resume DIR or --resume-or-start DIR, not both");
        }
        Path resumeDir = resume != null ? resume : resumeOrStart;
        String resumeOption = resume != null ? "--resume" : "--resume-or-start";
        if (resumeDir != null && spec.commandLine().getParseResult().hasMatchedOption("--out") && !resumeDir.equals(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), resumeOption + " DIR is the run's output directory: leave out --out");
        }
        Limits.requireThreads(spec, "--threads", threads);
        data.checkLimit(); // checked before anything is created
        Path dir = resumeDir != null ? resumeDir : out;
        if (resume != null && !Files.isDirectory(resume)) {
            throw new IOException("--resume " + resume + ": " + (Files.exists(resume) ? "not a directory" : "no such directory")
                    + ", nothing to resume (use --resume-or-start DIR to start a new run there)");
        }
        Path configFile = BundledConfigs.resolve(config, spec.commandLine().getOut());
        if (ModelFiles.detect(configFile) == ModelFileKind.CNN4J_MODEL) {
            if (resumeDir != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), resumeOption + " works with the paper's configs only");
            }
            createOutputDirectory(dir);
            try (RunDirectoryLock lock = RunDirectoryLock.acquire(dir)) {
                return NativeTraining.run(this, configFile);
            }
        }
        PaperConfig cfg = PaperFormat.readConfig(configFile);
        TrainingSettings s = cfg.training();
        TrainingSettings run = new TrainingSettings(s.seed(), learningRate != null ? learningRate : s.learningRate(),
                epochs != null ? epochs : s.epochs(), s.outputFilename());
        PrintWriter pw = spec.commandLine().getOut();
        createOutputDirectory(dir);
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(dir)) {
            Path ckpt = dir.resolve(run.outputFilename() + ".ckpt");
            deleteTemporaries(ckpt);
            PaperConfig runConfig = new PaperConfig(run, cfg.convolutionalLayers(), cfg.hiddenLayers());
            MnistData d = data.load();
            Limits.requireTraining(config, runConfig.layers(), PaperConfig.INPUT, batchSize, threads, optimizer.name());
            Sequential model = runConfig.buildModel();
            Map<String, String> fixed = fixedSettings(model, run);
            TrainingState from = null;
            if (resumeDir != null) {
                from = resumeState(ckpt, fixed, pw, resumeOrStart != null);
            }
            pw.print(model.summary());
            pw.flush();
            Checkpointing cp = new Checkpointing(ckpt, checkpointEvery, Duration.ofMillis(Math.round(checkpointMinutes * 60_000)), fixed, from);
            TrainingResult r = train(model, run, d, dir, optimizer, batchSize, threads, shuffle, blockSize,
                    new ProgressListener("train", ProgressMode.choose(quiet), spec.commandLine().getErr(), true), cp);
            pw.printf(Locale.ROOT, "Best epoch %d: test accuracy %.2f%% (%.0f samples/s). Model: %s%n",
                    r.bestEpoch(), 100 * r.bestAccuracy(), r.samplesPerSecond(), dir.resolve(run.outputFilename() + ".json"));
        }
        return 0;
    }

    /** Deletes what killed writes of this run's files left behind (only their own temporary names; the caller holds the lock). */
    private static void deleteTemporaries(Path ckpt) throws IOException {
        String name = ckpt.getFileName().toString();
        String stem = name.substring(0, name.length() - ".ckpt".length());
        for (String f : List.of(name, stem + ".csv", stem + "_block_error.csv", stem + ".json", stem + "_last.json")) {
            AtomicFiles.deleteTemporaries(ckpt.resolveSibling(f));
        }
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
    private static TrainingState resumeState(Path ckpt, Map<String, String> fixed, PrintWriter pw, boolean orStart) throws IOException {
        if (Files.isSymbolicLink(ckpt) && !Files.exists(ckpt)) {
            throw new IOException("cannot resume: the checkpoint " + ckpt + " is a link to a missing file");
        }
        if (!Files.exists(ckpt, LinkOption.NOFOLLOW_LINKS)) {
            if (!orStart) {
                throw new IOException("cannot resume: no checkpoint " + ckpt + " (use --resume-or-start DIR to start from the "
                        + "beginning when there is none)");
            }
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
    /**
     * Opens the checkpoint sink of a run: {@link CheckpointFormat#sink}. A seam for tests only, which
     * replace it to stop a process in the middle of writing a checkpoint (KillAndResumeTest).
     */
    static SinkFactory checkpointSinks = CheckpointFormat::sink;

    /** Opens a checkpoint sink for a file, a model and the metadata stored with every checkpoint. */
    @FunctionalInterface
    interface SinkFactory {
        CheckpointSink open(Path file, Sequential model, Map<String, String> metadata);
    }

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

    private static void createOutputDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the output directory " + dir + ": " + ReadableFiles.describe(e), e);
        }
    }

    /**
     * Trains with logs, per-epoch saves and checkpoints, as {@code train} does.
     *
     * @param progress    progress display and epoch lines (null: none)
     * @param checkpoints where and how often to checkpoint (null: no checkpoints)
     * @return the result; the model holds the best epoch's weights afterwards
     */
    static TrainingResult train(Sequential model, TrainingSettings run, MnistData d, Path out, OptimizerKind opt,
                                int batchSize, int threads, ShuffleMode shuffle, int blockSize, TrainingListener progress,
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
        if (progress != null) {
            b.listener(progress);
        }
        if (checkpoints == null) {
            return b.build().fit(d.train());
        }
        b.checkpoints(checkpointSinks.open(checkpoints.file(), model, checkpoints.metadata()))
                .checkpointEvery(checkpoints.every())
                .checkpointInterval(checkpoints.interval());
        return b.build().fit(d.train(), checkpoints.from());
    }
}
