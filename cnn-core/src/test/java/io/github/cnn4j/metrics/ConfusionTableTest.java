package io.github.cnn4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfusionTableTest {

    @Test
    void namedRowsAndColumns() {
        // true / predicted: 0/0, 0/1, 1/1, 2/2, 2/2
        int[] labels = {0, 0, 1, 2, 2};
        float[] out = {
            0.8f, 0.1f, 0.1f,
            0.1f, 0.8f, 0.1f,
            0.1f, 0.8f, 0.1f,
            0.1f, 0.1f, 0.8f,
            0.1f, 0.1f, 0.8f,
        };
        Evaluation e = Evaluation.of(labels, out, 3);
        String table = e.confusionTable(new String[] {"T-shirt/top", "Trouser", "Bag"});
        String expected = String.join("\n",
                "true \\ predicted  T-shirt/top     Trouser         Bag",
                "T-shirt/top                 1           1           0",
                "Trouser                     0           1           0",
                "Bag                         0           0           2",
                "");
        assertEquals(expected, table);
        assertEquals(e.confusionTable(), e.confusionTable(null));
        assertThrows(IllegalArgumentException.class, () -> e.confusionTable(new String[] {"a", "b"}));
    }
}
