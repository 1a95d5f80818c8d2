package io.github.cnn4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    /**
     * Eight samples, three classes. True / predicted:
     * 0/0, 0/0, 0/1, 1/1, 1/1, 1/2, 2/2, 2/0 -> confusion [[2,1,0],[0,2,1],[1,0,1]].
     */
    private static Evaluation example() {
        int[] labels = {0, 0, 0, 1, 1, 1, 2, 2};
        int[] predicted = {0, 0, 1, 1, 1, 2, 2, 0};
        float[] out = new float[8 * 3];
        for (int n = 0; n < 8; n++) {
            for (int k = 0; k < 3; k++) {
                out[n * 3 + k] = 0.1f;
            }
            out[n * 3 + predicted[n]] = 0.8f;
        }
        return Evaluation.of(labels, out, 3);
    }

    @Test
    void confusionPrecisionRecallF1ByHand() {
        Evaluation e = example();
        assertArrayEquals(new int[][] {{2, 1, 0}, {0, 2, 1}, {1, 0, 1}}, e.confusionMatrix());
        assertEquals(8, e.count());
        assertEquals(5, e.correct());
        assertEquals(5.0 / 8, e.accuracy(), 1e-12);
        // class 0: TP 2, FP 1 (the 2 predicted as 0), FN 1 -> P 2/3, R 2/3
        assertEquals(2.0 / 3, e.precision(0), 1e-12);
        assertEquals(2.0 / 3, e.recall(0), 1e-12);
        // class 1: TP 2, FP 1, FN 1
        assertEquals(2.0 / 3, e.precision(1), 1e-12);
        assertEquals(2.0 / 3, e.recall(1), 1e-12);
        // class 2: TP 1, FP 1 (the 1 predicted as 2), FN 1 (the 2 predicted as 0) -> P 1/2, R 1/2
        assertEquals(0.5, e.precision(2), 1e-12);
        assertEquals(0.5, e.recall(2), 1e-12);
        assertEquals(0.5, e.f1(2), 1e-12);
        assertEquals(3, e.support(0));
        assertEquals(2, e.support(2));
        // mean loss: 5 samples with p = 0.8 at the label, 3 with 0.1
        assertEquals(-(5 * Math.log(0.8f) + 3 * Math.log(0.1f)) / 8, e.meanLoss(), 1e-9);
        String table = e.toTable(new String[] {"cat", "dog", "emu"});
        assertTrue(table.contains("62.50%") && table.contains("emu") && table.contains("50.00%"), table);
        assertTrue(e.confusionTable().contains("true\\pred"), e.confusionTable());
    }

    @Test
    void asymmetricPrecisionAndRecallAndF1() {
        // true 0,0,0,1 predicted 0,1,1,1: class 1 P = 1/3, R = 1; class 0 P = 1, R = 1/3
        float[] out = {1, 0, 0, 1, 0, 1, 0, 1};
        Evaluation e = Evaluation.of(new int[] {0, 0, 0, 1}, out, 2);
        assertEquals(1.0 / 3, e.precision(1), 1e-12);
        assertEquals(1.0, e.recall(1), 1e-12);
        assertEquals(1.0, e.precision(0), 1e-12);
        assertEquals(1.0 / 3, e.recall(0), 1e-12);
        assertEquals(0.5, e.f1(0), 1e-12);   // 2 * 1 * 1/3 / (4/3)
        assertEquals(-Math.log(1e-9) * 2 / 4, e.meanLoss(), 1e-9, "p = 0 at the label is clipped to 1e-9");
    }

    @Test
    void classesNeverPredictedOrPresentScoreZeroAndTiesGoToTheFirstClass() {
        Evaluation e = Evaluation.of(new int[] {0, 0}, new float[] {0.5f, 0.5f, 0, 0.2f, 0.4f, 0.4f}, 3);
        assertArrayEquals(new int[][] {{1, 1, 0}, {0, 0, 0}, {0, 0, 0}}, e.confusionMatrix());
        assertEquals(0, e.precision(2));
        assertEquals(0, e.recall(2));
        assertEquals(0, e.f1(2));
        assertEquals(0, e.recall(1));
        assertEquals(0, e.precision(1));
    }

    @Test
    void rejectsInconsistentInput() {
        assertThrows(IllegalArgumentException.class, () -> Evaluation.of(new int[] {0}, new float[3], 2));
        assertThrows(IllegalArgumentException.class, () -> Evaluation.of(new int[] {2}, new float[2], 2));
        int[][] cm = example().confusionMatrix();
        cm[0][0] = 99;
        assertEquals(2, example().confusionMatrix()[0][0]);
    }

    @Test
    void evaluatesAModelOnADataset() {
        Sequential m = Sequential.of(new Flatten(), new Dense(4), new Softmax()).input(1, 3, 3).seed(3).build();
        Dataset d = TestData.random(300, Shape.of(1, 3, 3), 4, 4);
        Evaluation e = Evaluation.of(m, d, 2);
        Evaluation direct = Evaluation.of(d.labels(), m.predict(d, 1), 4);
        assertArrayEquals(direct.confusionMatrix(), e.confusionMatrix());
        assertEquals(direct.meanLoss(), e.meanLoss(), 0);
        assertEquals(300, e.count());
        int correct = 0;
        for (int i = 0; i < d.size(); i++) {
            correct += m.classify(d.image(i)) == d.label(i) ? 1 : 0;
        }
        assertEquals(correct, e.correct());
    }
}
