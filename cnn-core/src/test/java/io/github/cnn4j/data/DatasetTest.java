package io.github.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** 6 samples of shape (1, 1, 2): sample i holds (10 i, 10 i + 1), label i % 3. */
    private static Dataset six() {
        float[] images = new float[12];
        int[] labels = new int[6];
        for (int i = 0; i < 6; i++) {
            images[2 * i] = 10 * i;
            images[2 * i + 1] = 10 * i + 1;
            labels[i] = i % 3;
        }
        return new Dataset(images, labels, Shape.of(1, 1, 2), 3);
    }

    private static int sampleId(Dataset d, int i) {
        return (int) (d.image(i)[0] / 10);
    }

    @Test
    void basicAccessors() {
        Dataset d = six();
        assertEquals(6, d.size());
        assertEquals(Shape.of(1, 1, 2), d.shape());
        assertEquals(3, d.classes());
        assertArrayEquals(new float[] {30, 31}, d.image(3));
        assertEquals(0, d.label(3));
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, d.labels());
        assertArrayEquals(new int[] {2, 2, 2}, d.classCounts());
        float[] dst = new float[5];
        d.copyImage(4, dst, 2);
        assertArrayEquals(new float[] {0, 0, 40, 41, 0}, dst);
        assertThrows(IndexOutOfBoundsException.class, () -> d.image(6));
        assertThrows(IndexOutOfBoundsException.class, () -> d.label(-1));
        assertTrue(d.toString().contains("6") && d.toString().contains("[2, 2, 2]"), d.toString());
    }

    @Test
    void subsetSelectAndTheirCompositions() {
        Dataset d = six();
        Dataset sub = d.subset(2, 5);
        assertEquals(3, sub.size());
        assertEquals(2, sampleId(sub, 0));
        assertEquals(4, sampleId(sub, 2));
        assertArrayEquals(new int[] {1, 1, 1}, sub.classCounts());
        Dataset sel = sub.select(new int[] {2, 0, 2});
        assertEquals(3, sel.size());
        assertEquals(4, sampleId(sel, 0));
        assertEquals(2, sampleId(sel, 1));
        assertEquals(4, sampleId(sel, 2));
        assertArrayEquals(new int[] {1, 2, 1}, sel.labels());
        assertArrayEquals(new int[] {0, 2, 1}, sel.classCounts());
        Dataset subOfSel = sel.subset(1, 3);
        assertEquals(2, sampleId(subOfSel, 0));
        assertEquals(0, d.subset(3, 3).size());
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(4, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> sub.select(new int[] {3}));
    }

    @Test
    void copyBatchOnPlainAndViewDatasets() {
        Dataset d = six();
        float[] images = new float[8];
        Arrays.fill(images, -1);
        int[] labels = {-1, -1, -1, -1};
        d.copyBatch(1, 3, images, labels);
        assertArrayEquals(new float[] {10, 11, 20, 21, 30, 31, -1, -1}, images);
        assertArrayEquals(new int[] {1, 2, 0, -1}, labels);
        Dataset view = d.select(new int[] {5, 0, 3});
        view.copyBatch(1, 2, images, labels);
        assertArrayEquals(new float[] {0, 1, 30, 31, 30, 31, -1, -1}, images);
        assertArrayEquals(new int[] {0, 0, 0, -1}, labels);
        assertThrows(IndexOutOfBoundsException.class, () -> d.copyBatch(4, 3, new float[6], new int[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> view.copyBatch(2, 2, new float[4], new int[2]));
    }

    @Test
    void shuffledIsASeededPermutation() {
        float[] images = new float[100];
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            images[i] = i;
            labels[i] = i % 2;
        }
        Dataset d = new Dataset(images, labels, Shape.of(1), 2);
        Dataset a = d.shuffled(new Rng(1));
        Dataset b = d.shuffled(new Rng(1));
        Dataset c = d.shuffled(new Rng(2));
        boolean[] seen = new boolean[100];
        boolean moved = false;
        boolean differs = false;
        for (int i = 0; i < 100; i++) {
            int id = (int) a.image(i)[0];
            assertFalse(seen[id], "sample " + id + " twice");
            seen[id] = true;
            assertEquals(id % 2, a.label(i), "label travels with its image");
            assertEquals(id, (int) b.image(i)[0], "same seed, same order");
            moved |= id != i;
            differs |= id != (int) c.image(i)[0];
        }
        assertTrue(moved && differs);
        assertArrayEquals(d.classCounts(), a.classCounts());
        assertEquals(0f, d.image(0)[0], "the base dataset keeps its order");
    }

    @Test
    void rejectsBadLabelsNonFiniteValuesAndSizeMismatch() {
        Shape s = Shape.of(1, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[4], new int[] {0, 3}, s, 3));
        assertTrue(e.getMessage().contains("sample 1") && e.getMessage().contains("3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[4], new int[] {-1, 0}, s, 3));
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[] {0, 1, 2, Float.NaN}, new int[] {0, 0}, s, 3));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("sample 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[] {Float.POSITIVE_INFINITY, 1, 2, 3}, new int[] {0, 0}, s, 3));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[5], new int[] {0, 0}, s, 3));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[0], new int[0], s, 0));
        assertEquals(0, new Dataset(new float[0], new int[0], s, 2).size());
    }

    @Test
    void fingerprintSeesEveryValueLabelAndTheOrder() {
        Dataset d = six();
        assertEquals(d.fingerprint(), six().fingerprint());
        assertEquals(d.fingerprint(), d.subset(0, 6).fingerprint(), "a view of the same samples in the same order");
        assertFalse(d.fingerprint() == d.select(new int[] {1, 0, 2, 3, 4, 5}).fingerprint(), "order");
        assertFalse(d.fingerprint() == d.subset(0, 5).fingerprint(), "size");
        float[] images = new float[12];
        int[] labels = d.labels();
        for (int i = 0; i < 6; i++) {
            d.copyImage(i, images, 2 * i);
        }
        images[7] = Math.nextUp(images[7]);
        assertFalse(d.fingerprint() == new Dataset(images, labels, Shape.of(1, 1, 2), 3).fingerprint(), "one value by one ulp");
        images[7] = Math.nextDown(images[7]);
        labels[5] = 0;
        assertFalse(d.fingerprint() == new Dataset(images, labels, Shape.of(1, 1, 2), 3).fingerprint(), "one label");
    }
}
