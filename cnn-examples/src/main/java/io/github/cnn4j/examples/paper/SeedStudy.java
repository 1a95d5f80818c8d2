package io.github.cnn4j.examples.paper;

import io.github.cnn4j.examples.plot.Charts;
import io.github.cnn4j.examples.plot.Images;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;

/**
 * The paper's models trained with several seeds: per model the spread of test accuracies and where
 * the paper's figure falls among them, as a Markdown table, a CSV of every run and a strip plot.
 * Seed number {@code k} maps to a seed by {@link Reproduction#seed(long, int)}.
 */
public final class SeedStudy {
    /** Upper bound on the seeds of one study (a guard against typos such as {@code --seeds 1000000}). */
    public static final int MAX_SEEDS = 1000;

    private SeedStudy() {
    }

    /**
     * Parses a seed specification: {@code N} alone means seed numbers 1 to N; a comma-separated list
     * ({@code 1,2,3} or {@code 4,}) names the seed numbers themselves.
     *
     * @param spec the option's value
     * @return the seed numbers, each at least 1, no repeats, in the given order
     * @throws IllegalArgumentException naming the option and what was expected
     */
    public static List<Integer> seedNumbers(String spec) {
        String s = spec.trim();
        try {
            if (!s.contains(",")) {
                int n = Integer.parseInt(s);
                if (n < 1 || n > MAX_SEEDS) {
                    throw new IllegalArgumentException("--seeds: expected a count from 1 to " + MAX_SEEDS + ", got " + n);
                }
                List<Integer> all = new ArrayList<>();
                for (int k = 1; k <= n; k++) {
                    all.add(k);
                }
                return all;
            }
            Set<Integer> ks = new LinkedHashSet<>();
            for (String part : s.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int k = Integer.parseInt(part.trim());
                if (k < 1 || k > MAX_SEEDS * 1000) {
                    throw new IllegalArgumentException("--seeds: seed numbers start at 1, got " + k);
                }
                if (!ks.add(k)) {
                    throw new IllegalArgumentException("--seeds: seed number " + k + " is listed twice");
                }
            }
            if (ks.isEmpty()) {
                throw new IllegalArgumentException("--seeds: no seed number in '" + spec + "'");
            }
            if (ks.size() > MAX_SEEDS) {
                throw new IllegalArgumentException("--seeds: at most " + MAX_SEEDS + " seeds, got " + ks.size());
            }
            return List.copyOf(ks);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seeds: expected a count N or a list of seed numbers such as 1,2,3, got '" + spec + "'");
        }
    }

    /**
     * @param letters     the models, in the runs' order
     * @param seedNumbers the seed numbers, in the runs' order
     * @param runs        per seed number, one run per model
     * @return per model, its accuracies over the seeds beside the paper's figure
     */
    public static List<SeedSummary> summarize(List<String> letters, List<Integer> seedNumbers, List<List<PaperRun>> runs) {
        List<SeedSummary> out = new ArrayList<>();
        int[] ks = seedNumbers.stream().mapToInt(Integer::intValue).toArray();
        for (int m = 0; m < letters.size(); m++) {
            double[] acc = new double[ks.length];
            for (int s = 0; s < ks.length; s++) {
                acc[s] = accuracy(runs.get(s).get(m));
            }
            out.add(new SeedSummary(letters.get(m), PublishedResults.valueOf(letters.get(m)).accuracy(), ks, acc));
        }
        return out;
    }

    /** @return the run's test accuracy in percent, exact for the printed two decimals on 10,000 images */
    static double accuracy(PaperRun r) {
        return r.evaluation().correct() * 100.0 / r.evaluation().count();
    }

    /**
     * @param summaries per model
     * @return a Markdown table: paper, seeds, mean ± std, min–max, the paper's percentile
     */
    public static String table(List<SeedSummary> summaries) {
        StringBuilder sb = new StringBuilder("| Model | Paper | Seeds | Mean ± std (ours) | Min – max (ours) | Paper's percentile among ours |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (SeedSummary s : summaries) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f%% | %d | %.2f%% ± %.2f | %.2f%% – %.2f%% | %.0f |%n", s.letter(), s.paper(),
                    s.count(), s.mean(), s.std(), s.min(), s.max(), s.paperPercentile()));
        }
        return sb.toString();
    }

    /**
     * @param letters     the models, in the runs' order
     * @param seedNumbers the seed numbers, in the runs' order
     * @param runs        per seed number, one run per model
     * @return one CSV row per run: {@code model,seed_number,seed,best_epoch,accuracy,paper_accuracy}
     */
    public static String csv(List<String> letters, List<Integer> seedNumbers, List<List<PaperRun>> runs) {
        StringBuilder sb = new StringBuilder("model,seed_number,seed,best_epoch,accuracy,paper_accuracy\n");
        for (int m = 0; m < letters.size(); m++) {
            for (int s = 0; s < seedNumbers.size(); s++) {
                PaperRun r = runs.get(s).get(m);
                sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.2f,%.2f%n", r.letter(), seedNumbers.get(s), r.config().training().seed(),
                        r.bestEpoch(), accuracy(r), r.published().accuracy()));
            }
        }
        return sb.toString();
    }

    /**
     * Writes one strip plot per model (three per row): each seed's accuracy as a marker, the paper's
     * figure and our mean as horizontal lines.
     *
     * @param summaries per model
     * @param title     suffix of each panel's title (e.g. the gradient variant)
     * @param file      target PNG
     * @throws IOException when writing fails
     */
    public static void figure(List<SeedSummary> summaries, String title, Path file) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (SeedSummary s : summaries) {
            double[] x = new double[s.count()];
            int[] ks = s.seeds();
            for (int i = 0; i < x.length; i++) {
                x[i] = ks[i];
            }
            Map<String, Double> levels = new LinkedHashMap<>();
            levels.put(String.format(Locale.ROOT, "paper %.2f%%", s.paper()), s.paper());
            levels.put(String.format(Locale.ROOT, "mean %.2f%%", s.mean()), s.mean());
            charts.add(Charts.strip("Model " + s.letter() + title, "Seed number", "Test accuracy (%)", x, s.accuracies(), levels, 520, 380));
        }
        Images.writePng(Charts.grid(charts, 3), file);
    }
}
