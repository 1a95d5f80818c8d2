package io.github.cnn4j.examples.cli;

import io.github.cnn4j.examples.paper.Figures;
import io.github.cnn4j.examples.paper.PaperRun;
import io.github.cnn4j.examples.paper.Reproduction;
import io.github.cnn4j.examples.paper.SeedStudy;
import io.github.cnn4j.examples.paper.SeedSummary;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.ReadableFiles;
import io.github.cnn4j.io.checkpoint.RunDirectoryLock;
import io.github.cnn4j.io.FetchException;
import io.github.cnn4j.io.fetch.AuthorsFiles;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn4j reproduce}: trains the paper's models A-F and compares with Tables I-III. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = {"Train the paper's models A-F from scratch (per-sample SGD, its learning rates, epochs and seeds) "
                + "and print Tables I-III beside the paper's figures; write Fig. 1, 4 and 5 as PNG and a Markdown report.",
                "With --published [DIR], evaluate the authors' model files (CNN_A.json to CNN_F.json) instead "
                        + "(without DIR: fetched once from their repository, verified and cached).",
                "With --seeds N, train each model with N seeds and report the spread of the accuracies."})
public final class ReproduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--models", paramLabel = "MODEL", split = ",", splitSynopsisLabel = ",", description = "Models to run (default: all six).")
    List<String> models;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per model (default: Table I's).")
    Integer epochs;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2", description = "Models trained side by side (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/reproduce", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--published", paramLabel = "DIR", arity = "0..1", fallbackValue = "",
            description = "Evaluate the authors' model files in DIR (default: the verified download) instead of training.")
    Path published;

    @Option(names = "--authors-runs", paramLabel = "DIR", arity = "0..1", fallbackValue = "",
            description = "The authors' run logs (CNN_X_block_error.csv) in DIR (default: the verified download), overlaid on Fig. 5.")
    Path authorsRuns;

    @Option(names = "--paper-bias-gradient",
            description = "Emulate the paper code's conv bias step (mean of dL/dZ instead of the true sum) to reproduce its numbers.")
    boolean paperBiasGradient;

    @Option(names = "--quiet", description = "No progress display (epoch lines are still printed).")
    boolean quiet;

    @Option(names = "--seeds", paramLabel = "N|K,K,...",
            description = {"Train each model with seeds 1..N (or the listed seed numbers) and report per model mean ± std,",
                    "min-max and the paper's percentile among them (seed 1 is the config's; k > 1 is derived from it)."})
    String seeds;

    @Override
    public Integer call() throws IOException {
        List<String> letters = new ArrayList<>();
        for (String m : models == null ? Reproduction.ALL : models) {
            String l = m.trim().toUpperCase(Locale.ROOT);
            if (!Reproduction.ALL.contains(l)) {
                throw new IllegalArgumentException("--models: unknown model '" + m + "', expected some of " + Reproduction.ALL);
            }
            letters.add(l);
        }
        PrintWriter pw = spec.commandLine().getOut();
        published = authorsDir(published, "--published", "models");
        authorsRuns = authorsDir(authorsRuns, "--authors-runs", "runs");
        List<Integer> seedNumbers = seeds == null ? null : SeedStudy.seedNumbers(seeds);
        if (seedNumbers != null && published != null) {
            throw new IllegalArgumentException("--seeds trains models; it cannot be combined with --published");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IOException("cannot create the output directory " + out + ": " + ReadableFiles.describe(e), e);
        }
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(out)) {
            deleteTemporaries(letters);
            return run(letters, pw, seedNumbers);
        }
    }

    /** Deletes what killed writes of this command's files left behind (their own temporary names only; the lock is held). */
    private void deleteTemporaries(List<String> letters) throws IOException {
        List<String> names = new ArrayList<>(List.of("fig1_class_distribution.png", "fig4_confusion_matrices.png",
                "fig5_training_error.png", "report.md"));
        for (String l : letters) {
            names.addAll(List.of("config_" + l + ".json", "CNN_" + l + ".json", "CNN_" + l + ".csv", "CNN_" + l + "_block_error.csv"));
        }
        for (String n : names) {
            AtomicFiles.deleteTemporaries(out.resolve(n));
        }
    }

    private Integer run(List<String> letters, PrintWriter pw, List<Integer> seedNumbers) throws IOException {
        MnistData d = data.load();
        if (seedNumbers != null) {
            return seedStudy(letters, seedNumbers, d, pw);
        }
        long t0 = System.nanoTime();
        List<PaperRun> runs;
        if (published != null) {
            runs = Reproduction.published(letters, published, d, 2);
        } else {
            long total = 0;
            for (String l : letters) {
                int e = epochs != null ? epochs : io.github.cnn4j.examples.paper.PublishedResults.valueOf(l).epochs();
                total += (long) e * d.train().size();
            }
            try (SharedProgress progress = new SharedProgress(total, ProgressMode.choose(quiet), spec.commandLine().getErr())) {
                runs = Reproduction.train(letters, d, out, epochs, parallel, progress::listener, paperBiasGradient);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Figures.classDistribution(d.train(), d.test(), out.resolve("fig1_class_distribution.png"));
        Figures.confusionMatrices(runs, out.resolve("fig4_confusion_matrices.png"));
        Figures.trainingError(runs, authorsRuns, out.resolve("fig5_training_error.png"));
        String tables = Reproduction.tables(runs);
        pw.print(tables);
        StringBuilder report = new StringBuilder("# cnn4j reproduction of models A-F\n\n");
        report.append(published != null ? "Evaluated the authors' published model files in `" + published + "`.\n\n"
                : String.format(Locale.ROOT, "Trained from scratch: per-sample SGD, the paper's learning rates, seeds and epochs, "
                + "test set evaluated after every epoch, best epoch kept. %d model(s) side by side.%s%n%n", parallel,
                paperBiasGradient ? " Conv bias step as in the paper's code (mean of dL/dZ, `--paper-bias-gradient`)." : " Conv bias step: the true gradient (sum of dL/dZ)."));
        report.append(String.format(Locale.ROOT, "Wall time: %s (%.1f s) on %d core(s), %s %s.%n%n",
                Duration.ofMillis((long) (wall * 1000)).toString().substring(2).toLowerCase(Locale.ROOT), wall,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version")));
        report.append(tables);
        if (published == null) {
            report.append("### Per-epoch results\n\n").append(Reproduction.epochTable(runs)).append('\n');
        }
        report.append("### Figures\n\n![Fig. 1](fig1_class_distribution.png)\n\n![Fig. 4](fig4_confusion_matrices.png)\n\n");
        if (published == null || authorsRuns != null) {
            report.append("![Fig. 5](fig5_training_error.png)\n");
        }
        AtomicFiles.write(out.resolve("report.md"), o -> o.write(report.toString().getBytes(StandardCharsets.UTF_8)));
        pw.printf(Locale.ROOT, "Wall time %.1f s. Report, figures, logs and models in %s%n", wall, out);
        pw.flush();
        return 0;
    }

    /** An option's directory as given, or (given without one) the authors' verified files, fetched when not yet cached. */
    private static Path authorsDir(Path given, String option, String sub) throws IOException {
        if (given == null || !given.toString().isEmpty()) {
            return given;
        }
        try {
            return AuthorsFiles.fetch().resolve(sub);
        } catch (FetchException e) {
            throw new IOException(option + ": cannot get the authors' files from " + AuthorsFiles.REPOSITORY + " (" + e.summary()
                    + "); offline, give a directory holding them: " + option + " DIR", e);
        }
    }

    private int seedStudy(List<String> letters, List<Integer> seedNumbers, MnistData d, PrintWriter pw) throws IOException {
        long total = 0;
        for (String l : letters) {
            int e = epochs != null ? epochs : io.github.cnn4j.examples.paper.PublishedResults.valueOf(l).epochs();
            total += (long) e * d.train().size() * seedNumbers.size();
        }
        long t0 = System.nanoTime();
        List<List<PaperRun>> runs;
        try (SharedProgress progress = new SharedProgress(total, ProgressMode.choose(quiet), spec.commandLine().getErr())) {
            runs = Reproduction.trainSeeds(letters, seedNumbers, d, out, epochs, parallel, progress::listener, paperBiasGradient);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        List<SeedSummary> summaries = SeedStudy.summarize(letters, seedNumbers, runs);
        String variant = paperBiasGradient ? "paper's conv bias step (--paper-bias-gradient)" : "true gradient";
        String table = SeedStudy.table(summaries);
        AtomicFiles.write(out.resolve("seed_accuracies.csv"),
                o -> o.write(SeedStudy.csv(letters, seedNumbers, runs).getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(out.resolve("seed_summary.md"), o -> o.write(String.format(Locale.ROOT,
                "# Models %s over %d seeds, %s%n%nSeed numbers %s; wall time %.1f s.%n%n%s", String.join(",", letters), seedNumbers.size(),
                variant, seedNumbers, wall, table).getBytes(StandardCharsets.UTF_8)));
        SeedStudy.figure(summaries, paperBiasGradient ? " (paper's bias step)" : " (true gradient)", out.resolve("seed_accuracies.png"));
        pw.printf(Locale.ROOT, "%d seed(s), %s:%n%n%s%nWall time %.1f s. Table, CSV, figure, logs and models in %s%n",
                seedNumbers.size(), variant, table, wall, out);
        pw.flush();
        return 0;
    }

    /** One progress display over all models' samples, and one line per model and epoch; listeners on several threads add to it. */
    static final class SharedProgress implements AutoCloseable {
        private final Progress progress;

        SharedProgress(long total, ProgressMode mode, PrintWriter lines) {
            progress = Progress.of(mode, "reproduce", total, lines);
        }

        TrainingListener listener(String letter) {
            AtomicLong last = new AtomicLong();
            AtomicLong epochSize = new AtomicLong();
            AtomicLong epochs = new AtomicLong();
            return new TrainingListener() {
                @Override
                public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
                    long prev = last.get();
                    if (samplesInEpoch < prev) {
                        prev = 0; // a new epoch started
                    }
                    if (samplesInEpoch - prev >= 500) {
                        progress.add(samplesInEpoch - prev);
                        last.set(samplesInEpoch);
                    }
                }

                @Override
                public void onEpoch(io.github.cnn4j.train.EpochStats e) {
                    // the steps not yet reported belong to the epoch that just ended
                    progress.add(Math.max(0, epochSize.get() - last.get()));
                    last.set(0);
                    progress.println(ProgressListener.epochLine("model " + letter, (int) epochs.get(), e));
                }

                @Override
                public void onStart(int epochs0, int samplesPerEpoch) {
                    epochSize.set(samplesPerEpoch);
                    epochs.set(epochs0);
                }
            };
        }

        @Override
        public void close() {
            progress.close();
        }
    }
}
