package io.github.cnn4j.examples.cli;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.data.HorizontalFlip;
import io.github.cnn4j.data.Pipeline;
import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.optim.Momentum;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.optim.WeightDecay;
import io.github.cnn4j.train.LearningRateSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The training settings of a modern config: the {@code train.*} entries of a native model file's
 * {@code metadata} (all strings), next to the architecture in the same file.
 *
 * <pre>
 *   train.optimizer        adam | momentum | sgd                    (default adam)
 *   train.learning_rate    base learning rate                       (required)
 *   train.momentum         for momentum                             (default 0.9)
 *   train.weight_decay     L2 coefficient lambda, 0 for none        (default 0)
 *   train.batch_size       samples per step                         (default 64)
 *   train.epochs           at most this many epochs                 (required)
 *   train.schedule         constant | cosine[:MIN_FACTOR] | step:EVERY:FACTOR | plateau:PATIENCE:FACTOR:MIN_RATE
 *                                                                   (default constant)
 *   train.validation_split share of the training set held out       (default 0.1)
 *   train.early_stopping   patience in epochs, 0 for none           (default 0)
 *   train.augment.shift    largest shift in pixels                  (default 0)
 *   train.augment.rotation largest rotation in degrees              (default 0)
 *   train.augment.zoom     largest relative zoom                    (default 0)
 *   train.augment.flip     probability of a left-right mirror       (default 0)
 *   train.seeds            comma-separated seeds, one run each      (default 1)
 * </pre>
 * Metadata keys not starting with {@code train.} are free text (e.g. {@code description}).
 *
 * @param optimizerName   optimizer name
 * @param learningRate    base learning rate
 * @param momentum        momentum coefficient (momentum optimizer only)
 * @param weightDecay     L2 coefficient
 * @param batchSize       samples per step
 * @param epochs          epoch limit
 * @param scheduleSpec    schedule specification
 * @param validationSplit held-out share of the training set
 * @param patience        early-stopping patience (0: none)
 * @param shift           augmentation shift in pixels
 * @param rotation        augmentation rotation in degrees
 * @param zoom            augmentation zoom
 * @param flip            probability of a horizontal flip (after shift, rotation and zoom)
 * @param seeds           seeds to run
 */
public record ModernRecipe(String optimizerName, double learningRate, double momentum, double weightDecay, int batchSize, int epochs,
                           String scheduleSpec, double validationSplit, int patience, int shift, double rotation, double zoom,
                           double flip, List<Long> seeds) {
    private static final Set<String> KEYS = Set.of("train.optimizer", "train.learning_rate", "train.momentum", "train.weight_decay",
            "train.batch_size", "train.epochs", "train.schedule", "train.validation_split", "train.early_stopping",
            "train.augment.shift", "train.augment.rotation", "train.augment.zoom", "train.augment.flip", "train.seeds");

    /** Copies the seeds and checks the flip probability. */
    public ModernRecipe {
        if (!(flip >= 0 && flip <= 1)) {
            throw new IllegalArgumentException("train.augment.flip: expected a probability in [0, 1], found " + flip);
        }
        seeds = List.copyOf(seeds);
    }

    /**
     * @param metadata a config's metadata
     * @return the recipe
     * @throws IllegalArgumentException naming the key when a value is missing or invalid
     */
    public static ModernRecipe fromMetadata(Map<String, String> metadata) {
        Set<String> unknown = new TreeSet<>();
        for (String k : metadata.keySet()) {
            if (k.startsWith("train.") && !KEYS.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown training setting(s) " + unknown + ", expected " + new TreeSet<>(KEYS));
        }
        String opt = metadata.getOrDefault("train.optimizer", "adam").toLowerCase(Locale.ROOT);
        if (!List.of("adam", "momentum", "sgd").contains(opt)) {
            throw new IllegalArgumentException("train.optimizer: expected adam, momentum or sgd, found '" + opt + "'");
        }
        List<Long> seeds = new ArrayList<>();
        for (String s : metadata.getOrDefault("train.seeds", "1").split(",")) {
            seeds.add(parseLong("train.seeds", s.trim()));
        }
        ModernRecipe r = new ModernRecipe(opt, number(metadata, "train.learning_rate", null),
                number(metadata, "train.momentum", 0.9), number(metadata, "train.weight_decay", 0.0),
                (int) number(metadata, "train.batch_size", 64.0), (int) number(metadata, "train.epochs", null),
                metadata.getOrDefault("train.schedule", "constant"), number(metadata, "train.validation_split", 0.1),
                (int) number(metadata, "train.early_stopping", 0.0), (int) number(metadata, "train.augment.shift", 0.0),
                number(metadata, "train.augment.rotation", 0.0), number(metadata, "train.augment.zoom", 0.0),
                number(metadata, "train.augment.flip", 0.0), seeds);
        r.schedule(r.epochs);   // validates the specification
        r.augmentation();
        r.optimizer();
        return r;
    }

    /**
     * @param epochs epochs of this run (the cosine's length)
     * @return a recipe with that epoch limit
     */
    public ModernRecipe withEpochs(int epochs) {
        return new ModernRecipe(optimizerName, learningRate, momentum, weightDecay, batchSize, epochs, scheduleSpec, validationSplit, patience,
                shift, rotation, zoom, flip, seeds);
    }

    /**
     * @param newSeeds seeds to run instead
     * @return a recipe with those seeds
     */
    public ModernRecipe withSeeds(List<Long> newSeeds) {
        return new ModernRecipe(optimizerName, learningRate, momentum, weightDecay, batchSize, epochs, scheduleSpec, validationSplit, patience,
                shift, rotation, zoom, flip, newSeeds);
    }

    /** @return a new optimizer as configured (with weight decay when set) */
    public Optimizer optimizer() {
        Optimizer o = switch (optimizerName) {
            case "momentum" -> new Momentum(learningRate, momentum);
            case "sgd" -> new Sgd(learningRate);
            default -> new Adam(learningRate);
        };
        return weightDecay > 0 ? new WeightDecay(o, weightDecay) : o;
    }

    /**
     * @param runEpochs the epochs of the run (cosine annealing spans them)
     * @return the schedule
     */
    public LearningRateSchedule schedule(int runEpochs) {
        String[] p = scheduleSpec.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (p[0]) {
                case "constant" -> LearningRateSchedule.constant();
                case "cosine" -> LearningRateSchedule.cosine(runEpochs, p.length > 1 ? Double.parseDouble(p[1]) : 0.0);
                case "step" -> LearningRateSchedule.step(Integer.parseInt(p[1]), Double.parseDouble(p[2]));
                case "plateau" -> LearningRateSchedule.reduceOnPlateau(Integer.parseInt(p[1]), Double.parseDouble(p[2]),
                        Double.parseDouble(p[3]));
                default -> throw new IllegalArgumentException("unknown schedule '" + p[0] + "'");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("train.schedule '" + scheduleSpec
                    + "': expected constant, cosine[:MIN_FACTOR], step:EVERY:FACTOR or plateau:PATIENCE:FACTOR:MIN_RATE ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * @return the augmentation: a {@link RandomAffine} (shift, rotation, zoom), followed by a
     *         {@link HorizontalFlip} when {@code flip > 0}; null when there is nothing to do
     */
    public Augmentation augmentation() {
        RandomAffine affine = shift == 0 && rotation == 0 && zoom == 0 ? null : new RandomAffine(shift, rotation, zoom);
        if (flip == 0) {
            return affine;
        }
        Pipeline p = affine == null ? Pipeline.of(new HorizontalFlip(flip)) : Pipeline.of(Pipeline.of(affine), new HorizontalFlip(flip));
        return p.asAugmentation();
    }

    /** @return a one-line description */
    public String describe() {
        return String.format(Locale.ROOT, "%s lr %s%s, batch %d, up to %d epochs, schedule %s, validation %.0f%%%s, augmentation %s",
                optimizerName, learningRate, weightDecay > 0 ? ", weight decay " + weightDecay : "", batchSize, epochs, scheduleSpec,
                100 * validationSplit, patience > 0 ? ", early stopping after " + patience : "",
                augmentation() == null ? "none" : augmentation());
    }

    private static double number(Map<String, String> m, String key, Double dflt) {
        String v = m.get(key);
        if (v == null) {
            if (dflt == null) {
                throw new IllegalArgumentException(key + ": required training setting is missing");
            }
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException("not finite");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a number, found '" + v + "'", e);
        }
    }

    private static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected integers separated by commas, found '" + v + "'", e);
        }
    }
}
