package io.github.cnn4j.metrics;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.model.Sequential;
import java.util.Locale;

/**
 * Classification results on a labelled set: accuracy, mean cross-entropy, per-class precision,
 * recall and F1, and the confusion matrix ({@code [true class][predicted class]}).
 *
 * <p>Precision is {@code TP / (TP + FP)} and recall {@code TP / (TP + FN)}; a class never predicted
 * (or never present) has precision (or recall) 0.
 */
public final class Evaluation {
    private final int classes;
    private final int[][] confusion;
    private final double lossSum;
    private final int count;

    private Evaluation(int classes, int[][] confusion, double lossSum, int count) {
        this.classes = classes;
        this.confusion = confusion;
        this.lossSum = lossSum;
        this.count = count;
    }

    /**
     * @param labels  true classes, one per sample
     * @param outputs class probabilities, {@code labels.length x classes}, sample after sample
     * @param classes number of classes
     * @return the evaluation (the prediction is the arg-max, the first one on ties)
     */
    public static Evaluation of(int[] labels, float[] outputs, int classes) {
        if ((long) labels.length * classes != outputs.length) {
            throw new IllegalArgumentException(labels.length + " labels x " + classes + " classes != " + outputs.length + " outputs");
        }
        int[][] cm = new int[classes][classes];
        double loss = 0;
        for (int n = 0; n < labels.length; n++) {
            int y = labels[n];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " of sample " + n + " outside 0.." + (classes - 1));
            }
            int p = Sequential.argmax(outputs, n * classes, classes);
            cm[y][p]++;
            loss -= Math.log(Math.max(outputs[n * classes + y], CrossEntropy.EPSILON));
        }
        return new Evaluation(classes, cm, loss, labels.length);
    }

    /**
     * Runs the model over the dataset in parallel and evaluates it.
     *
     * @param model   a model whose outputs are class probabilities
     * @param data    labelled samples
     * @param threads worker threads
     * @return the evaluation
     */
    public static Evaluation of(Sequential model, Dataset data, int threads) {
        return of(data.labels(), model.predict(data, threads), data.classes());
    }

    /** @return number of classes */
    public int classes() {
        return classes;
    }

    /** @return number of samples */
    public int count() {
        return count;
    }

    /** @return correctly classified samples */
    public int correct() {
        int c = 0;
        for (int k = 0; k < classes; k++) {
            c += confusion[k][k];
        }
        return c;
    }

    /** @return fraction correct, in [0, 1] */
    public double accuracy() {
        return count == 0 ? 0 : (double) correct() / count;
    }

    /** @return mean categorical cross-entropy (probabilities clipped at 1e-9) */
    public double meanLoss() {
        return count == 0 ? 0 : lossSum / count;
    }

    /**
     * @param k class
     * @return {@code TP / (TP + FP)} of class k, 0 when it was never predicted
     */
    public double precision(int k) {
        int predicted = 0;
        for (int t = 0; t < classes; t++) {
            predicted += confusion[t][k];
        }
        return predicted == 0 ? 0 : (double) confusion[k][k] / predicted;
    }

    /**
     * @param k class
     * @return {@code TP / (TP + FN)} of class k, 0 when it never occurs
     */
    public double recall(int k) {
        int actual = support(k);
        return actual == 0 ? 0 : (double) confusion[k][k] / actual;
    }

    /**
     * @param k class
     * @return harmonic mean of precision and recall of class k
     */
    public double f1(int k) {
        double p = precision(k);
        double r = recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * @param k class
     * @return how many samples have true class k
     */
    public int support(int k) {
        int s = 0;
        for (int p = 0; p < classes; p++) {
            s += confusion[k][p];
        }
        return s;
    }

    /** @return a copy of the confusion matrix, {@code [true][predicted]} */
    public int[][] confusionMatrix() {
        int[][] c = new int[classes][];
        for (int k = 0; k < classes; k++) {
            c[k] = confusion[k].clone();
        }
        return c;
    }

    /**
     * @param classNames names of the classes (null: their numbers)
     * @return accuracy, loss and a per-class table of precision, recall, F1 and support, in percent
     */
    public String toTable(String[] classNames) {
        return toTable(classNames, null);
    }

    /**
     * @param classNames names of the classes (null: their numbers)
     * @param noLoss     null to print the mean loss; else why it is not printed (the outputs were not probabilities)
     * @return accuracy, loss (or {@code n/a} and the reason) and a per-class table, in percent
     */
    public String toTable(String[] classNames, String noLoss) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Accuracy: %.2f%% (%d / %d)   Mean loss: %s%n", 100 * accuracy(), correct(), count,
                noLoss == null ? String.format(Locale.ROOT, "%.4f", meanLoss()) : "n/a (" + noLoss + ")"));
        sb.append(String.format(Locale.ROOT, "%-12s %9s %9s %9s %8s%n", "Class", "Precision", "Recall", "F1", "Support"));
        for (int k = 0; k < classes; k++) {
            String name = classNames == null ? Integer.toString(k) : classNames[k];
            sb.append(String.format(Locale.ROOT, "%-12s %8.2f%% %8.2f%% %8.2f%% %8d%n", name, 100 * precision(k), 100 * recall(k), 100 * f1(k), support(k)));
        }
        return sb.toString();
    }

    /** @return the confusion matrix as text, rows = true class, columns = predicted */
    public String confusionTable() {
        StringBuilder sb = new StringBuilder("true\\pred");
        for (int p = 0; p < classes; p++) {
            sb.append(String.format(Locale.ROOT, "%6d", p));
        }
        sb.append('\n');
        for (int t = 0; t < classes; t++) {
            sb.append(String.format(Locale.ROOT, "%9d", t));
            for (int p = 0; p < classes; p++) {
                sb.append(String.format(Locale.ROOT, "%6d", confusion[t][p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * @param classNames names of the classes, by label (null: their numbers, as {@link #confusionTable()})
     * @return the confusion matrix as text with named rows (true class) and columns (predicted)
     */
    public String confusionTable(String[] classNames) {
        if (classNames == null) {
            return confusionTable();
        }
        if (classNames.length != classes) {
            throw new IllegalArgumentException(classNames.length + " class names for " + classes + " classes");
        }
        int width = 6;
        for (String n : classNames) {
            width = Math.max(width, n.length() + 1);
        }
        String head = "true \\ predicted";
        int first = Math.max(head.length(), width) + 1;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + first + "s", head));
        for (int p = 0; p < classes; p++) {
            sb.append(String.format(Locale.ROOT, "%" + width + "s", classNames[p]));
        }
        sb.append('\n');
        for (int t = 0; t < classes; t++) {
            sb.append(String.format(Locale.ROOT, "%-" + first + "s", classNames[t]));
            for (int p = 0; p < classes; p++) {
                sb.append(String.format(Locale.ROOT, "%" + width + "d", confusion[t][p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toTable(null);
    }
}
