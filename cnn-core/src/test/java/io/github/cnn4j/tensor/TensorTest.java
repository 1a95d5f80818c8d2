package io.github.cnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void batchCapacityLengthAndMatrixView() {
        Tensor t = new Tensor(Shape.of(2, 3), 4);
        assertEquals(4, t.capacity());
        assertEquals(4, t.batch());
        assertEquals(24, t.data().length);
        t.batch(2);
        assertEquals(12, t.length());
        FMatrixRMaj m = t.matrix();
        assertSame(t.data(), m.data);
        assertEquals(2, m.numRows);
        assertEquals(6, m.numCols);
        m.set(1, 5, 7f);
        assertEquals(7f, t.data()[11]);
        t.batch(3);
        assertEquals(3, t.matrix().numRows, "the view follows the batch");
        assertThrows(IllegalArgumentException.class, () -> t.batch(0));
        assertThrows(IllegalArgumentException.class, () -> t.batch(5));
        assertThrows(IllegalArgumentException.class, () -> new Tensor(Shape.of(3), 0));
    }
}
