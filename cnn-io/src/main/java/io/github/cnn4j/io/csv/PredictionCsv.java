package io.github.cnn4j.io.csv;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes predictions as CSV, atomically: a header {@code file,class,<name 1>,<name 2>,...}, then per
 * input its name, the predicted class name and the probability of every class.
 */
public final class PredictionCsv {
    private PredictionCsv() {
    }

    /**
     * @param file   the CSV to write
     * @param names  input names (e.g. image file names), one per row
     * @param labels class names
     * @param probs  {@code names.size() x labels.size()} probabilities, row after row
     * @throws IOException when writing fails
     */
    public static void write(Path file, List<String> names, ClassNames labels, float[] probs) throws IOException {
        int k = labels.size();
        if ((long) names.size() * k != probs.length) {
            throw new IllegalArgumentException(names.size() + " inputs x " + k + " classes != " + probs.length + " probabilities");
        }
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("file,class");
            for (String n : labels.asList()) {
                w.write(',');
                w.write(quote(n));
            }
            w.write('\n');
            for (int i = 0; i < names.size(); i++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (probs[i * k + c] > probs[i * k + best]) {
                        best = c;
                    }
                }
                w.write(quote(names.get(i)));
                w.write(',');
                w.write(quote(labels.name(best)));
                for (int c = 0; c < k; c++) {
                    w.write(String.format(Locale.ROOT, ",%.6f", probs[i * k + c]));
                }
                w.write('\n');
            }
            w.flush();
        });
    }

    /**
     * @param s a field
     * @return the field, quoted (RFC 4180) when it holds a comma, quote or line break
     */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
