package io.github.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomAffineTest {
    private static final Shape IMAGE = Shape.of(1, 7, 7);

    @Test
    void noShiftNoRotationIsTheIdentity() {
        float[] x = TestData.uniform(new Rng(1), 3 * 49, 0, 1);
        float[] y = x.clone();
        new RandomAffine(0, 0).apply(y, 3, IMAGE, new long[] {1, 2, 3});
        assertArrayEquals(x, y, 0f);
    }

    @Test
    void shiftsMoveWholePixelsAndFillWithZeros() {
        float[] x = new float[49];
        for (int i = 0; i < 49; i++) {
            x[i] = i + 1;
        }
        float[] y = new float[49];
        RandomAffine.transform(x, 1, 7, 7, 2, -1, 0, 1, y, 0);
        for (int r = 0; r < 7; r++) {
            for (int c = 0; c < 7; c++) {
                int sr = r + 1;
                int sc = c - 2;
                float expected = sr < 7 && sc >= 0 ? x[sr * 7 + sc] : 0f;
                assertEquals(expected, y[r * 7 + c], 0f, "pixel " + r + "," + c);
            }
        }
    }

    @Test
    void aQuarterTurnRotatesAboutTheCentre() {
        float[] x = new float[49];
        x[3] = 1;   // top centre (row 0, column 3)
        float[] y = new float[49];
        RandomAffine.transform(x, 1, 7, 7, 0, 0, Math.PI / 2, 1, y, 0);
        float sum = 0;
        for (float v : y) {
            sum += v;
        }
        assertEquals(1, sum, 1e-6, "a quarter turn about the centre moves the pixel to another border centre");
        assertTrue(y[3 * 7] > 0.999f || y[3 * 7 + 6] > 0.999f, Arrays.toString(y));
    }

    @Test
    void drawsDependOnlyOnTheSampleSeeds() {
        RandomAffine aug = new RandomAffine(2, 15, 0.1);
        float[] x = TestData.uniform(new Rng(2), 2 * 49, 0, 1);
        float[] a = x.clone();
        float[] b = x.clone();
        aug.apply(a, 2, IMAGE, new long[] {10, 11});
        aug.apply(b, 2, IMAGE, new long[] {10, 11});
        assertArrayEquals(a, b, 0f);
        float[] second = Arrays.copyOfRange(x, 49, 98);
        aug.apply(second, 1, IMAGE, new long[] {11});
        assertArrayEquals(Arrays.copyOfRange(a, 49, 98), second, 0f, "a sample's transform does not depend on its batch slot");
        float[] c = x.clone();
        aug.apply(c, 2, IMAGE, new long[] {12, 11});
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, 0, 49), Arrays.copyOfRange(c, 0, 49)));
    }

    @Test
    void shiftsCoverTheWholeRange() {
        // With rotation 0, a one-hot centre pixel lands at the shifted position: count the distinct ones.
        RandomAffine aug = new RandomAffine(2, 0);
        Set<Integer> positions = new HashSet<>();
        for (long s = 0; s < 400; s++) {
            float[] x = new float[49];
            x[24] = 1;
            aug.apply(x, 1, IMAGE, new long[] {s});
            for (int i = 0; i < 49; i++) {
                if (x[i] == 1f) {
                    positions.add(i);
                }
            }
        }
        assertEquals(25, positions.size(), "shifts -2..2 in x and y");
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new RandomAffine(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandomAffine(1, 200));
        assertThrows(IllegalArgumentException.class, () -> new RandomAffine(1, 10, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new RandomAffine(1, 10).apply(new float[4], 1, Shape.of(4), new long[1]));
        assertEquals("RandomAffine(shift 2 px, rotation 10.0 deg)", new RandomAffine(2, 10).toString());
    }
}
