package io.github.cnn4j.io.json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's Tables I-III as printed (learning rate, epochs, test accuracy, per-class precision and
 * recall in percent), the reference the authors' model files must reproduce. One printed figure is a
 * misprint: model D's recall of class 8 is printed as 96.63; the authors' model file gives 96.30,
 * which is the value kept here.
 */
final class PaperTables {
    /** One model's row; numbers as printed (strings, to compare exactly as decimals). */
    record Row(String model, String lr, int epochs, String accuracy, String[] precision, String[] recall) {
    }

    static final List<Row> ROWS = List.of(
            new Row("A", "0.05", 7, "97.23",
                    new String[] {"97.39", "98.25", "98.23", "96.49", "97.73", "97.49", "98.32", "96.05", "96.35", "95.98"},
                    new String[] {"98.98", "98.94", "96.61", "98.12", "96.44", "95.96", "97.81", "97.08", "97.43", "94.65"}),
            new Row("B", "0.01", 3, "98.16",
                    new String[] {"96.92", "98.86", "96.85", "98.61", "99.08", "98.00", "98.53", "98.13", "99.26", "97.43"},
                    new String[] {"99.39", "99.38", "98.26", "98.22", "98.17", "98.88", "97.91", "96.79", "97.02", "97.52"}),
            new Row("C", "0.01", 2, "97.52",
                    new String[] {"96.81", "98.60", "97.17", "97.24", "97.11", "97.51", "98.22", "96.78", "97.64", "98.05"},
                    new String[] {"99.08", "99.03", "96.41", "97.82", "99.29", "96.75", "97.70", "96.60", "97.74", "94.65"}),
            new Row("D", "0.01", 6, "98.09",
                    new String[] {"96.82", "99.30", "97.70", "98.41", "98.98", "96.29", "99.36", "98.51", "98.95", "96.49"},
                    new String[] {"99.49", "99.56", "98.64", "98.02", "98.37", "98.88", "96.76", "96.69", "96.30", "98.02"}),
            new Row("E", "0.01", 8, "97.58",
                    new String[] {"97.86", "98.85", "96.84", "98.48", "98.27", "96.65", "97.82", "97.09", "96.59", "97.14"},
                    new String[] {"98.16", "98.24", "97.87", "96.34", "98.47", "96.97", "98.33", "97.47", "96.10", "97.72"}),
            new Row("F", "0.01", 4, "96.80",
                    new String[] {"97.26", "99.11", "97.47", "98.09", "93.17", "97.09", "97.69", "96.24", "95.07", "96.71"},
                    new String[] {"97.76", "98.06", "96.90", "96.73", "98.68", "97.20", "97.29", "96.98", "94.97", "93.36"}));

    private PaperTables() {
    }

    /** @return model letter to its row, by the column names of the paper's tables ({@code lr, epochs, accuracy, p0..p9, r0..r9}) */
    static Map<String, Map<String, String>> byModel() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Row r : ROWS) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("model", r.model());
            m.put("lr", r.lr());
            m.put("epochs", Integer.toString(r.epochs()));
            m.put("accuracy", r.accuracy());
            for (int k = 0; k < 10; k++) {
                m.put("p" + k, r.precision()[k]);
            }
            for (int k = 0; k < 10; k++) {
                m.put("r" + k, r.recall()[k]);
            }
            out.put(r.model(), m);
        }
        return out;
    }
}
