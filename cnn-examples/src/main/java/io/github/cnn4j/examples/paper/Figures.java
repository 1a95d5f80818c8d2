package io.github.cnn4j.examples.paper;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.examples.plot.Images;
import io.github.cnn4j.examples.plot.Charts;
import io.github.cnn4j.train.BlockStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;

/** The paper's figures, redrawn from our runs: Fig. 1 (class distribution), Fig. 4 (confusion matrices), Fig. 5 (training error). */
public final class Figures {
    /** Blocks shown in Fig. 5, as in the paper (the first 10,000 training samples). */
    public static final int BLOCKS = 400;
    private static final String[] DIGITS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    private Figures() {
    }

    /**
     * Fig. 1: samples per class in the training and test sets.
     *
     * @param train training set
     * @param test  test set
     * @param file  target PNG
     * @throws IOException when writing fails
     */
    public static void classDistribution(Dataset train, Dataset test, Path file) throws IOException {
        CategoryChart a = Charts.histogram("(a) Training set (" + train.size() + ")", DIGITS, Map.of("train", train.classCounts()), 640, 420);
        CategoryChart b = Charts.histogram("(b) Test set (" + test.size() + ")", DIGITS, Map.of("test", test.classCounts()), 640, 420);
        Images.writePng(Charts.grid(List.of(a, b), 2), file);
    }

    /**
     * Fig. 4: one confusion matrix per model, three per row.
     *
     * @param runs the runs
     * @param file target PNG
     * @throws IOException when writing fails
     */
    public static void confusionMatrices(List<PaperRun> runs, Path file) throws IOException {
        List<HeatMapChart> charts = new ArrayList<>();
        for (PaperRun r : runs) {
            charts.add(Charts.confusionMatrix(r.evaluation().confusionMatrix(),
                    String.format(java.util.Locale.ROOT, "Model %s (%.2f%%)", r.letter(), 100 * r.evaluation().accuracy()), DIGITS, 520, 480));
        }
        Images.writePng(Charts.grid(charts, 3), file);
    }

    /**
     * Fig. 5: mean training error per block of 250 samples over the first {@value #BLOCKS} blocks, one
     * chart per model, with the authors' curve overlaid when their logs are given.
     *
     * @param runs       the runs
     * @param authorsDir directory of the authors' {@code CNN_X_block_error.csv} logs, or null
     * @param file       target PNG
     * @throws IOException when writing or reading fails
     */
    public static void trainingError(List<PaperRun> runs, Path authorsDir, Path file) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (PaperRun r : runs) {
            Map<String, double[][]> series = new LinkedHashMap<>();
            List<BlockStats> blocks = r.blocks();
            int n = Math.min(BLOCKS, blocks.size());
            if (n > 0) {
                double[] x = new double[n];
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = i + 1;
                    y[i] = blocks.get(i).meanLoss();
                }
                series.put("cnn4j", new double[][] {x, y});
            }
            if (authorsDir != null) {
                double[][] theirs = authorsCurve(authorsDir.resolve("CNN_" + r.letter() + "_block_error.csv"));
                if (theirs != null) {
                    series.put("paper", theirs);
                }
            }
            if (!series.isEmpty()) {
                charts.add(Charts.lines("Model " + r.letter(), "Block (250 samples)", "Mean cross-entropy", series, 520, 380));
            }
        }
        if (!charts.isEmpty()) {
            Images.writePng(Charts.grid(charts, 3), file);
        }
    }

    /** Reads the first {@value #BLOCKS} rows of an authors' block-error log; null when the file is absent. */
    static double[][] authorsCurve(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            return null;
        }
        List<Double> ys = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null && ys.size() < BLOCKS) {
                String[] f = line.trim().split(",");
                if (f.length == 2) {
                    ys.add(Double.parseDouble(f[1].trim()));
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException(csv + ": not a block-error log (" + e.getMessage() + ")", e);
        }
        double[] x = new double[ys.size()];
        double[] y = new double[ys.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = ys.get(i);
        }
        return new double[][] {x, y};
    }
}
