package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.TestData;
import io.github.cnn4j.metrics.Evaluation;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key test: the authors' six trained models, loaded from their JSON files, reproduce the paper's
 * Tables I-III exactly on the real MNIST test set.
 */
class PublishedModelsTest {
    private static final Logger LOG = LoggerFactory.getLogger(PublishedModelsTest.class);

    /** tables.csv parsed: model letter to its row, by column name. */
    static Map<String, Map<String, String>> sharedTables() throws IOException {
        List<String> lines = Files.readAllLines(TestData.shared("tables.csv"));
        String[] header = null;
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",");
            if (header == null) {
                header = cells;
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i].trim(), cells[i].trim());
            }
            rows.put(row.get("model"), row);
        }
        return rows;
    }

    @Test
    void paperTablesMatchTheReferenceCopy() throws IOException {
        assertEquals(sharedTables(), PaperTables.byModel());
    }

    /** 100 * num / den rounded half-up to 2 decimals, exactly. */
    static BigDecimal percent(long num, long den) {
        return BigDecimal.valueOf(num * 100).divide(BigDecimal.valueOf(den), 2, RoundingMode.HALF_UP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "B", "C", "D", "E", "F"})
    void publishedModelReproducesTables(String letter) throws IOException {
        Map<String, String> row = PaperTables.byModel().get(letter);
        Path file = TestData.authors("models/CNN_" + letter + ".json");
        PaperModel pm = PaperFormat.readModel(file);
        Dataset test = TestData.mnist().test();
        assertEquals(10_000, test.size());

        Evaluation ev = Evaluation.of(pm.model(), test, 2);
        int[][] cm = ev.confusionMatrix();
        StringBuilder got = new StringBuilder();
        assertEquals(new BigDecimal(row.get("accuracy")), percent(ev.correct(), ev.count()), "accuracy of " + letter);
        assertEquals(Double.parseDouble(row.get("accuracy")), Math.round(ev.accuracy() * 10000) / 100.0, 1e-9);
        for (int k = 0; k < 10; k++) {
            long predicted = 0;
            long actual = 0;
            for (int j = 0; j < 10; j++) {
                predicted += cm[j][k];
                actual += cm[k][j];
            }
            BigDecimal p = percent(cm[k][k], predicted);
            BigDecimal r = percent(cm[k][k], actual);
            got.append(String.format(" p%d=%s r%d=%s", k, p, k, r));
            assertEquals(new BigDecimal(row.get("p" + k)), p, "precision of class " + k + " of " + letter);
            assertEquals(new BigDecimal(row.get("r" + k)), r, "recall of class " + k + " of " + letter);
            assertEquals(p.doubleValue(), Math.round(ev.precision(k) * 10000) / 100.0, 1e-9);
            assertEquals(r.doubleValue(), Math.round(ev.recall(k) * 10000) / 100.0, 1e-9);
        }
        assertEquals(Integer.parseInt(row.get("epochs")), pm.trainedEpochs(), "trained epochs of " + letter);
        assertEquals(Double.parseDouble(row.get("lr")), pm.config().training().learningRate());
        assertTrue(pm.config().training().outputFilename().endsWith(letter));
        LOG.info("CNN_{}: accuracy {}%{}", letter, percent(ev.correct(), ev.count()), got);
    }
}
