package io.github.cnn4j.examples.paper;

import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.io.json.PaperConfig;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.json.PaperModel;
import io.github.cnn4j.io.json.TrainingSettings;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.parallel.WorkerPool;
import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.train.BlockStats;
import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import io.github.cnn4j.train.TrainingResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reproduces the paper: trains models A-F from scratch with its architectures, learning rates,
 * epochs and seeds (per-sample SGD, cross-entropy, the paper's initialization and shuffling, test
 * evaluation after every epoch, best epoch kept), or evaluates the authors' published model files.
 * Independent models train side by side on a {@link WorkerPool}.
 */
public final class Reproduction {
    /** The six model letters. */
    public static final List<String> ALL = List.of("A", "B", "C", "D", "E", "F");

    private Reproduction() {
    }

    /**
     * Reads the project's config of a paper model (packaged with this module).
     *
     * @param letter A to F
     * @param dir    where to write a copy of the config (the run's record of what it trained)
     * @return the config
     * @throws IOException when it cannot be read or written
     */
    public static PaperConfig config(String letter, Path dir) throws IOException {
        String name = "model_" + letter + ".json";
        Path copy = dir.resolve("config_" + letter + ".json");
        try (InputStream in = Reproduction.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new NoSuchFileException(name, null, "no config packaged for model " + letter);
            }
            AtomicFiles.write(copy, in::transferTo);
        }
        return PaperFormat.readConfig(copy);
    }

    /**
     * Trains the given models from scratch.
     *
     * @param letters        which models
     * @param data           MNIST train and test sets
     * @param out            output directory: configs, logs, best models
     * @param epochsOverride epochs per model instead of Table I's (null: Table I's)
     * @param parallel       models trained at once (one thread each)
     * @param progress       listener factory for progress display (may return null)
     * @param meanBias       emulate the paper code's conv bias step (mean instead of sum of dL/dZ); see {@link Conv#meanBiasGradient(boolean)}
     * @return one run per model, in the order of {@code letters}
     * @throws IOException when configs or outputs cannot be read or written
     */
    public static List<PaperRun> train(List<String> letters, MnistData data, Path out, Integer epochsOverride, int parallel,
                                       java.util.function.Function<String, TrainingListener> progress, boolean meanBias) throws IOException {
        return trainSeeds(letters, List.of(1), data, out, epochsOverride, parallel, progress, meanBias).get(0);
    }

    /**
     * The seed of the {@code k}-th run of a model in a seed study: seed 1 is the config's own seed
     * (the single-seed reproduction), seed {@code k >= 2} is {@code Seeds.mix(configSeed, k) >>> 33},
     * a fixed 31-bit derivation, so every seed of every model is reproducible from its config.
     *
     * @param configSeed the seed in the model's config
     * @param k          the seed's number, from 1
     * @return the seed that initializes the weights and drives the shuffling of run {@code k}
     */
    public static long seed(long configSeed, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("seed numbers start at 1, got " + k);
        }
        return k == 1 ? configSeed : Seeds.mix(configSeed, k) >>> 33;
    }

    /**
     * Trains the given models once per seed number (see {@link #seed(long, int)}). All (seed, model)
     * runs share one pool of {@code parallel} threads, longest first. With the single seed number 1 the
     * files go to {@code out} itself; otherwise each seed's files go to {@code out/seed-K}.
     *
     * @param letters        which models
     * @param seedNumbers    seed numbers {@code k >= 1}
     * @param data           MNIST train and test sets
     * @param out            output directory: configs, logs, best models
     * @param epochsOverride epochs per model instead of Table I's (null: Table I's)
     * @param parallel       runs trained at once (one thread each)
     * @param progress       listener factory for progress display (may return null)
     * @param meanBias       emulate the paper code's conv bias step (mean instead of sum of dL/dZ)
     * @return per seed number (in the given order), one run per model in the order of {@code letters}
     * @throws IOException when configs or outputs cannot be read or written
     */
    public static List<List<PaperRun>> trainSeeds(List<String> letters, List<Integer> seedNumbers, MnistData data, Path out,
                                                  Integer epochsOverride, int parallel,
                                                  java.util.function.Function<String, TrainingListener> progress, boolean meanBias)
            throws IOException {
        boolean single = seedNumbers.equals(List.of(1));
        List<Job> jobs = new ArrayList<>();
        for (int s = 0; s < seedNumbers.size(); s++) {
            int k = seedNumbers.get(s);
            Path dir = single ? out : out.resolve("seed-" + k);
            for (int m = 0; m < letters.size(); m++) {
                String l = letters.get(m);
                PaperConfig c = config(l, dir);
                TrainingSettings t = c.training();
                int epochs = epochsOverride != null ? epochsOverride : t.epochs();
                PaperConfig run = new PaperConfig(new TrainingSettings(seed(t.seed(), k), t.learningRate(), epochs, "CNN_" + l),
                        c.convolutionalLayers(), c.hiddenLayers());
                if (k != 1) {
                    PaperFormat.writeConfig(dir.resolve("config_" + l + ".json"), run); // the record of what this seed trained
                }
                jobs.add(new Job(s, m, l, dir, run));
            }
        }
        // Longest jobs first, so that side-by-side training finishes together.
        List<Job> order = new ArrayList<>(jobs);
        order.sort(Comparator.comparingDouble((Job j) -> -cost(j.config())));
        PaperRun[][] runs = new PaperRun[seedNumbers.size()][letters.size()];
        try (WorkerPool pool = new WorkerPool(Math.max(1, Math.min(parallel, order.size())))) {
            pool.run(order.size(), (worker, task) -> {
                Job j = order.get(task);
                try {
                    runs[j.seedIndex()][j.modelIndex()] = trainOne(j.letter(), j.config(), data, j.dir(), progress.apply(j.letter()), meanBias);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        List<List<PaperRun>> result = new ArrayList<>();
        for (PaperRun[] r : runs) {
            result.add(List.of(r));
        }
        return result;
    }

    /** One training run of a seed study. */
    private record Job(int seedIndex, int modelIndex, String letter, Path dir, PaperConfig config) {
    }

    private static double cost(PaperConfig c) {
        return (double) c.buildModel().flops() * c.training().epochs();
    }

    private static PaperRun trainOne(String letter, PaperConfig cfg, MnistData data, Path out, TrainingListener progress,
                                     boolean meanBias) throws IOException {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : cfg.layers()) {
            layers.add(meanBias && l instanceof Conv c ? c.meanBiasGradient(true) : l);
        }
        Sequential model = Sequential.of(layers).input(PaperConfig.INPUT).seed(cfg.training().seed()).init(InitPreset.PAPER).build();
        List<BlockStats> blocks = new ArrayList<>();
        TrainingListener collect = new TrainingListener() {
            @Override
            public void onBlock(BlockStats b) {
                blocks.add(b);
            }
        };
        RunLog log = new RunLog(out, cfg.training().outputFilename());
        Trainer.Builder b = Trainer.builder(model)
                .optimizer(new Sgd(cfg.training().learningRate()))
                .epochs(cfg.training().epochs())
                .batchSize(1)
                .threads(1)
                .shuffle(ShuffleMode.PAPER)
                .seed(cfg.training().seed())
                .blockSize(250)
                .testSet(data.test())
                .keepBest(true)
                .listener(collect)
                .listener(log);
        if (progress != null) {
            b.listener(progress);
        }
        long t0 = System.nanoTime();
        TrainingResult r = b.build().fit(data.train());
        double secs = (System.nanoTime() - t0) / 1e9;
        PaperFormat.writeModel(out.resolve(cfg.training().outputFilename() + ".json"), PaperModel.of(model, cfg.training(), r.bestEpoch()));
        Evaluation ev = Evaluation.of(model, data.test(), 1);
        return new PaperRun(letter, cfg, model, ev, r.epochs(), List.copyOf(blocks), secs, r.bestEpoch());
    }

    /**
     * Evaluates the authors' published model files {@code CNN_A.json ... CNN_F.json}.
     *
     * @param letters which models
     * @param dir     directory holding the files
     * @param data    MNIST (only the test set is used)
     * @param threads prediction threads
     * @return one run per model
     * @throws IOException when a file is missing or invalid
     */
    public static List<PaperRun> published(List<String> letters, Path dir, MnistData data, int threads) throws IOException {
        List<PaperRun> runs = new ArrayList<>();
        for (String l : letters) {
            PaperModel m = PaperFormat.readModel(dir.resolve("CNN_" + l + ".json"));
            Evaluation ev = Evaluation.of(m.model(), data.test(), threads);
            runs.add(new PaperRun(l, m.config(), m.model(), ev, List.of(), List.of(), 0, m.trainedEpochs()));
        }
        return runs;
    }

    /**
     * @param runs the runs
     * @return Tables I, II and III in Markdown, each with the paper's figure, ours and the difference
     */
    public static String tables(List<PaperRun> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("### Table I: architecture, learning rate, epochs, test accuracy\n\n");
        sb.append("| Model | Architecture | α | Epochs (paper) | Best epoch (ours) | Accuracy (paper) | Accuracy (ours) | Δ |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (PaperRun r : runs) {
            PublishedResults p = r.published();
            double ours = round2(100 * r.evaluation().accuracy());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.2f%% | %.2f%% | %+.2f |%n", r.letter(), r.notation(),
                    r.config().training().learningRate(), p.epochs(), r.bestEpoch(), p.accuracy(), ours, ours - p.accuracy()));
        }
        sb.append('\n');
        perClass(sb, runs, "Table II: precision per class (%)", true);
        perClass(sb, runs, "Table III: recall per class (%)", false);
        return sb.toString();
    }

    private static void perClass(StringBuilder sb, List<PaperRun> runs, String title, boolean precision) {
        sb.append("### ").append(title).append("\n\n| Model | |");
        for (int k = 0; k < 10; k++) {
            sb.append(' ').append(k).append(" |");
        }
        sb.append("\n| --- | --- |");
        for (int k = 0; k < 10; k++) {
            sb.append(" --- |");
        }
        sb.append('\n');
        for (PaperRun r : runs) {
            double[] paper = precision ? r.published().precision() : r.published().recall();
            double[] ours = new double[10];
            for (int k = 0; k < 10; k++) {
                ours[k] = round2(100 * (precision ? r.evaluation().precision(k) : r.evaluation().recall(k)));
            }
            row(sb, r.letter(), "paper", paper, "%.2f");
            row(sb, "", "ours", ours, "%.2f");
            double[] diff = new double[10];
            for (int k = 0; k < 10; k++) {
                diff[k] = round2(ours[k] - paper[k]);
            }
            row(sb, "", "Δ", diff, "%+.2f");
        }
        sb.append('\n');
    }

    /** Percentages are compared as printed: rounded to two decimals. */
    private static double round2(double v) {
        double r = Math.round(v * 100) / 100.0;
        return r == 0 ? 0.0 : r; // no "-0.00"
    }

    private static void row(StringBuilder sb, String model, String what, double[] v, String fmt) {
        sb.append("| ").append(model).append(" | ").append(what).append(" |");
        for (double x : v) {
            sb.append(' ').append(String.format(Locale.ROOT, fmt, x)).append(" |");
        }
        sb.append('\n');
    }

    /**
     * @param runs the runs
     * @return per model, the epochs trained and the per-epoch test accuracy, as Markdown
     */
    public static String epochTable(List<PaperRun> runs) {
        StringBuilder sb = new StringBuilder("| Model | Epoch | Train loss | Test loss | Test accuracy | Epoch time (s) |\n| --- | --- | --- | --- | --- | --- |\n");
        for (PaperRun r : runs) {
            for (EpochStats e : r.epochs()) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.2f%%%s | %.1f |%n", r.letter(), e.epoch(), e.trainLoss(),
                        e.testLoss(), 100 * e.testAccuracy(), e.best() ? " (best so far)" : "", e.seconds()));
            }
        }
        return sb.toString();
    }
}
