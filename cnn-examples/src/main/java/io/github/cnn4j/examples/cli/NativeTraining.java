package io.github.cnn4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.examples.paper.RunLog;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.json.InputSpec;
import io.github.cnn4j.io.json.NativeModel;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import io.github.cnn4j.train.TrainingResult;
import io.github.cnn4j.train.ValidationSplit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cnn4j train ARCH.json --data PATH} for an architecture in cnn4j's native format: any input
 * shape, data from image folders, CSV or IDX, a validation split, and a model file that remembers
 * its input (class names, channels, size, resize policy, normalisation) for {@code test} and {@code predict}.
 */
final class NativeTraining {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NativeTraining() {
    }

    /**
     * @param c      the parsed command (its --out directory exists and is locked by the caller)
     * @param config the architecture file (a bundled one already resolved)
     */
    static int run(TrainCommand c, Path config) throws IOException {
        PrintWriter pw = c.spec.commandLine().getOut();
        TrainDataOptions t = c.trainData;
        if (c.data.data == null) {
            throw new IllegalArgumentException("--data PATH is needed to train " + config + " (an image folder, a CSV or an MNIST IDX folder)");
        }
        if (!(t.valSplit >= 0 && t.valSplit <= 0.5)) {
            throw new IllegalArgumentException("--val-split must be in [0, 0.5] (0: no validation), got " + t.valSplit);
        }
        NativeModel arch = NativeModelFormat.readArchitecture(config);
        Shape in = arch.model().inputShape();
        if (in.rank() != 3) {
            throw new FormatException(config, "the architecture takes " + in + ", expected (channels, height, width) images");
        }
        int[] size = t.size();
        int channels = t.channels != null ? t.channels : in.channels();
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("--channels must be 1 or 3, got " + channels);
        }
        int h = size != null ? size[0] : in.height();
        int w = size != null ? size[1] : in.width();
        Sequential model = Shape.of(channels, h, w).equals(in) ? arch.model() : withInput(config, channels, h, w, c.out);
        InputSpec shapeOnly = new InputSpec(ClassNames.numbered(1), channels, h, w, c.images.resize.name(), null, null);
        Limits.requireTraining(config, model.layers(), model.inputShape(), c.batchSize, c.threads, c.optimizer.name());
        Dataset all = FolderData.open(c.data.data, false, shapeOnly, c.images, t.labelColumn, c.threads);
        int outputs = model.outputShape().size();
        if (all.classes() != outputs) {
            throw new FormatException(c.data.data, all.classes() + " classes " + all.classNames() + ", but the architecture " + config
                    + " ends in " + outputs + " outputs: set the last dense layer's units to " + all.classes());
        }
        long seed = 1;
        if (c.data.limit != null && c.data.limit < all.size()) {
            all = all.shuffled(new Rng(seed)).subset(0, c.data.limit);
        }
        InputSpec spec = new InputSpec(all.classNames(), channels, h, w, c.images.resize.name(), null, null);
        if (t.normalize) {
            float[][] st = FolderData.channelStats(all);
            spec = new InputSpec(all.classNames(), channels, h, w, c.images.resize.name(), st[0], st[1]);
            all = FolderData.normalized(all, spec);
        }
        Dataset train = all;
        Dataset validation = null;
        if (t.valSplit > 0) {
            ValidationSplit split = ValidationSplit.of(all, t.valSplit, seed);
            train = split.train();
            validation = split.validation();
        }
        // An image folder is class after class; batch-norm statistics are measured on the first
        // samples of the training set, so put it in a seeded random order once (a view).
        train = train.shuffled(new Rng(Seeds.mix(seed, 2)));
        pw.print(model.summary());
        pw.printf(Locale.ROOT, "Data: %s, %d training and %d validation samples of %s, classes %s%n", c.data.data, train.size(),
                validation == null ? 0 : validation.size(), train.shape(), all.classNames());
        pw.flush();
        Files.createDirectories(c.out);
        String stem = stem(config);
        Path modelFile = c.out.resolve(stem + ".json");
        Map<String, String> meta = new LinkedHashMap<>(arch.metadata());
        meta.putAll(spec.toMetadata());
        meta.put("data", c.data.data.toAbsolutePath().normalize().toString());
        Map<String, String> finalMeta = meta;
        TrainingListener saver = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats e) {
                if (e.best()) {
                    try {
                        Map<String, String> m = new LinkedHashMap<>(finalMeta);
                        m.put("trained_epochs", Integer.toString(e.epoch()));
                        NativeModelFormat.write(modelFile, model, m);
                    } catch (IOException ex) {
                        throw new UncheckedIOException("cannot save the model " + modelFile + ": " + ex.getMessage(), ex);
                    }
                }
            }
        };
        int epochs = c.epochs != null ? c.epochs : (int) number(arch.metadata(), "train.epochs", 10);
        int batch = matched(c, "--batch-size") ? c.batchSize : (int) number(arch.metadata(), "train.batch_size", c.batchSize);
        double lr = c.learningRate != null ? c.learningRate
                : number(arch.metadata(), "train.learning_rate", c.optimizer == TrainCommand.OptimizerKind.ADAM ? 0.001 : 0.01);
        Trainer.Builder b = Trainer.builder(model).optimizer(TrainCommand.optimizer(c.optimizer, lr)).epochs(epochs).batchSize(batch)
                .threads(c.threads).seed(seed).shuffle(matched(c, "--shuffle") ? c.shuffle : ShuffleMode.FULL).blockSize(c.blockSize)
                .listener(new RunLog(c.out, stem)).listener(saver);
        if (validation != null) {
            b.testSet(validation).keepBest(true);
        }
        if (!c.quiet) {
            b.listener(epochLines(c.spec.commandLine().getErr()));
        }
        TrainingResult r = b.build().fit(train);
        if (validation == null) {
            Map<String, String> m = new LinkedHashMap<>(meta);
            m.put("trained_epochs", Integer.toString(epochs));
            NativeModelFormat.write(modelFile, model, m);
        }
        pw.printf(Locale.ROOT, "%s: %.2f%% validation accuracy (epoch %d, %.0f samples/s). Model: %s%n",
                validation == null ? "No validation split" : "Best epoch", 100 * r.bestAccuracy(), r.bestEpoch(), r.samplesPerSecond(), modelFile);
        pw.flush();
        return 0;
    }

    /** One line per epoch on standard error (kept independent of the progress-bar classes). */
    private static TrainingListener epochLines(PrintWriter err) {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochStats e) {
                double acc = Double.isNaN(e.validationAccuracy()) ? e.testAccuracy() : e.validationAccuracy();
                err.printf(Locale.ROOT, "epoch %d: train loss %.5f%s, %.1f s%s%n", e.epoch(), e.trainLoss(),
                        Double.isNaN(acc) ? "" : String.format(Locale.ROOT, ", validation accuracy %.2f%%", 100 * acc), e.seconds(),
                        e.best() ? " (best)" : "");
                err.flush();
            }
        };
    }

    private static boolean matched(TrainCommand c, String option) {
        return c.spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private static double number(Map<String, String> m, String key, double dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata " + key + ": expected a number, found " + v);
        }
    }

    static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** The architecture with another input shape: its file with {@code input} replaced, read again (shapes are inferred). */
    private static Sequential withInput(Path config, int c, int h, int w, Path out) throws IOException {
        JsonNode root = JSON.readTree(config.toFile());
        if (!(root instanceof ObjectNode o)) {
            throw new FormatException(config, "expected a JSON object");
        }
        ArrayNode input = JSON.createArrayNode().add(c).add(h).add(w);
        o.set("input", input);
        o.remove("parameters");
        Files.createDirectories(out);
        Path tmp = AtomicFiles.createTemp(out, "architecture.json");
        try {
            JSON.writeValue(tmp.toFile(), o);
            return NativeModelFormat.readArchitecture(tmp).model();
        } catch (IllegalArgumentException e) {
            throw new FormatException(config, "does not fit input " + c + "x" + h + "x" + w + ": " + e.getMessage());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
