package io.github.cnn4j.examples.cli;

import io.github.cnn4j.examples.plot.Charts;
import io.github.cnn4j.examples.plot.Images;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.json.NativeModel;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.metrics.Evaluation;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import io.github.cnn4j.train.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cnn4j modern [CONFIG.json]}: trains the modern network of a config (a native model file
 * without weights whose {@code metadata} holds the {@link ModernRecipe}) once per seed, and reports
 * test accuracy per seed and as mean ± standard deviation.
 *
 * <p>Each seed seeds the weights, the shuffling, the validation split, dropout and augmentation.
 * The best epoch is chosen on the validation split carved from the training set; the test set is
 * evaluated once, at the end, on the restored best epoch (never during training).
 */
@Command(name = "modern", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = {"Train a modern network (batch norm, dropout, Adam, a learning-rate schedule, augmentation, "
                + "early stopping on a validation split) from a config in cnn4j's native format, once per seed; "
                + "report each seed's test accuracy and their mean and spread.",
                "Writes OUT/<config name>_<dataset>_seed<S>.json, .csv and _confusion.png per seed (e.g. modern_mnist_seed1.json). "
                        + "The bundled configs modern.json and resnet.json are found from any folder."})
public final class ModernCommand implements Callable<Integer> {
    /** The config used when none is given. */
    public static final String DEFAULT_CONFIG = "cnn-examples/configs/modern.json";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.json", defaultValue = DEFAULT_CONFIG,
            description = "A native model file without weights, with train.* metadata (default: the bundled modern.json).")
    Path config;

    @Mixin
    DataOptions data;

    @Option(names = "--seeds", paramLabel = "SEED", split = ",", description = "Seeds to run (default: the config's train.seeds).")
    List<Long> seeds;

    @Option(names = "--epochs", paramLabel = "N", description = "Override the config's epoch limit (the cosine schedule follows it).")
    Integer epochs;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    /** One seed's outcome. */
    record SeedResult(long seed, int epochsRun, int bestEpoch, double validationAccuracy, double testAccuracy, double seconds) {
    }

    @Override
    public Integer call() throws IOException {
        Limits.requireThreads(spec, "--threads", threads);
        NativeModel arch = NativeModelFormat.readArchitecture(BundledConfigs.resolve(config, spec.commandLine().getOut()));
        ModernRecipe recipe = ModernRecipe.fromMetadata(arch.metadata());
        if (epochs != null) {
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
            }
            recipe = recipe.withEpochs(epochs);
        }
        if (seeds != null && !seeds.isEmpty()) {
            recipe = recipe.withSeeds(seeds);
        }
        PrintWriter pw = spec.commandLine().getOut();
        MnistData d = data.load();
        Limits.requireTraining(config, arch.model().layers(), arch.model().inputShape(), recipe.batchSize(), threads,
                recipe.optimizerName().toUpperCase(Locale.ROOT));
        String[] classNames = data.classNames();
        String name = NativeTraining.stem(config) + "_" + data.dataset.id().replace('-', '_');   // modern_mnist, resnet_fashion_mnist, ...
        Files.createDirectories(out);
        pw.println("Config: " + config + " (" + arch.model() + ")");
        pw.println("Data: " + data.dataset + ", " + d.train().size() + " training (" + Math.round(recipe.validationSplit() * 100)
                + "% held out for validation) and " + d.test().size() + " test samples");
        pw.println("Recipe: " + recipe.describe());
        pw.print(arch.model().summary());
        pw.flush();

        List<SeedResult> results = new ArrayList<>();
        for (long seed : recipe.seeds()) {
            results.add(runSeed(arch, recipe, seed, d, classNames, name, pw));
        }
        pw.println();
        pw.print(summary(results, data.dataset.toString()));
        pw.flush();
        return 0;
    }

    private SeedResult runSeed(NativeModel arch, ModernRecipe recipe, long seed, MnistData d, String[] classNames, String name,
                               PrintWriter pw) throws IOException {
        Sequential model = Sequential.of(arch.model().layers()).input(arch.model().inputShape()).seed(seed)
                .init(arch.model().initPreset()).build();
        String stem = name + "_seed" + seed;
        List<String> csv = new ArrayList<>();
        csv.add("epoch,learning_rate,train_loss,validation_loss,validation_accuracy,seconds,best");
        pw.printf(Locale.ROOT, "%nSeed %d%n%-6s %-10s %-11s %-9s %-9s %-7s%n", seed, "epoch", "lr", "train loss", "val loss",
                "val acc", "secs");
        pw.flush();
        TrainingListener log = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats e) {
                pw.printf(Locale.ROOT, "%-6d %-10.3g %-11.4f %-9.4f %-9s %-7.1f%s%n", e.epoch(), e.learningRate(), e.trainLoss(),
                        e.validationLoss(), percent(e.validationAccuracy()), e.seconds(), e.best() ? " *" : "");
                pw.flush();
                csv.add(String.format(Locale.ROOT, "%d,%s,%.6f,%.6f,%.6f,%.2f,%s", e.epoch(), e.learningRate(), e.trainLoss(),
                        e.validationLoss(), e.validationAccuracy(), e.seconds(), e.best()));
            }
        };
        Trainer.Builder b = Trainer.builder(model)
                .optimizer(recipe.optimizer())
                .batchSize(recipe.batchSize())
                .epochs(recipe.epochs())
                .threads(threads)
                .seed(seed)
                .schedule(recipe.schedule(recipe.epochs()))
                .augmentation(recipe.augmentation())
                .validationSplit(recipe.validationSplit())
                .earlyStopping(recipe.patience())
                .keepBest(true)
                .listener(log);
        if (!quiet) {
            b.listener(new ProgressListener("seed " + seed, ProgressMode.choose(false), spec.commandLine().getErr(), false));
        }
        long t0 = System.nanoTime();
        TrainingResult r = b.build().fit(d.train());
        Evaluation ev = Evaluation.of(model, d.test(), threads);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<String, String> meta = new LinkedHashMap<>(arch.metadata());
        meta.put("result.dataset", data.dataset.toString());
        meta.put("result.seed", Long.toString(seed));
        meta.put("result.epochs_run", Integer.toString(r.epochs().size()));
        meta.put("result.best_epoch", Integer.toString(r.bestEpoch()));
        meta.put("result.validation_accuracy", Double.toString(r.bestAccuracy()));
        meta.put("result.test_accuracy", Double.toString(ev.accuracy()));
        meta.put("result.seconds", String.format(Locale.ROOT, "%.1f", seconds));
        Path modelFile = out.resolve(stem + ".json");
        NativeModelFormat.write(modelFile, model, meta);
        AtomicFiles.write(out.resolve(stem + ".csv"), o -> o.write((String.join("\n", csv) + "\n").getBytes(StandardCharsets.UTF_8)));
        Path png = out.resolve(stem + "_confusion.png");
        Images.writePng(Charts.render(Charts.confusionMatrix(ev.confusionMatrix(),
                "Confusion matrix: " + stem + " (" + percent(ev.accuracy()) + ")", classNames, 640, 600)), png);

        pw.printf(Locale.ROOT, "Seed %d: best epoch %d of %d by validation accuracy %s; test accuracy %s; %.0f s. Model: %s%n",
                seed, r.bestEpoch(), r.epochs().size(), percent(r.bestAccuracy()), percent(ev.accuracy()), seconds, modelFile);
        pw.print(ev.toTable(classNames));
        pw.println("Confusion matrix (rows: true class, columns: predicted):");
        pw.print(ev.confusionTable(classNames));
        pw.flush();
        return new SeedResult(seed, r.epochs().size(), r.bestEpoch(), r.bestAccuracy(), ev.accuracy(), seconds);
    }

    /**
     * @param results one per seed
     * @param dataset data set name
     * @return a table per seed and the mean, sample standard deviation and range of the test accuracy
     */
    static String summary(List<SeedResult> results, String dataset) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Summary on %s%n%-8s %-8s %-10s %-9s %-9s %-8s%n", dataset, "seed", "epochs", "best epoch",
                "val acc", "test acc", "secs"));
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double time = 0;
        for (SeedResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-8d %-8d %-10d %-9s %-9s %-8.0f%n", r.seed(), r.epochsRun(), r.bestEpoch(),
                    percent(r.validationAccuracy()), percent(r.testAccuracy()), r.seconds()));
            sum += r.testAccuracy();
            min = Math.min(min, r.testAccuracy());
            max = Math.max(max, r.testAccuracy());
            time += r.seconds();
        }
        double mean = sum / results.size();
        double sq = 0;
        for (SeedResult r : results) {
            sq += (r.testAccuracy() - mean) * (r.testAccuracy() - mean);
        }
        double std = results.size() > 1 ? Math.sqrt(sq / (results.size() - 1)) : 0;
        sb.append(String.format(Locale.ROOT, "Test accuracy over %d seed(s): mean %.2f%% ± %.2f%% (sample std), range %.2f%% .. %.2f%%;"
                + " %.0f s in total%n", results.size(), 100 * mean, 100 * std, 100 * min, 100 * max, time));
        return sb.toString();
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
