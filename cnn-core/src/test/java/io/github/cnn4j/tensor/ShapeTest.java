package io.github.cnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void dimensionsSizeAndAccessors() {
        Shape s = Shape.of(6, 24, 20);
        assertEquals(3, s.rank());
        assertEquals(6 * 24 * 20, s.size());
        assertEquals(6, s.channels());
        assertEquals(24, s.height());
        assertEquals(20, s.width());
        assertEquals("(6, 24, 20)", s.toString());
        assertEquals(Shape.of(6, 24, 20), s);
        assertEquals(Shape.of(6, 24, 20).hashCode(), s.hashCode());
        assertNotEquals(Shape.of(6, 20, 24), s);
        assertEquals("(10)", Shape.of(10).toString());
        assertThrows(IllegalStateException.class, () -> Shape.of(10).channels());
    }

    @Test
    void isImmutable() {
        int[] dims = {1, 2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 9;
        assertEquals(1, s.dim(0));
        s.dims()[1] = 9;
        assertArrayEquals(new int[] {1, 2, 3}, s.dims());
    }

    @Test
    void rejectsBadDimensions() {
        assertThrows(IllegalArgumentException.class, () -> Shape.of());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(3, 0));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(-1));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(65536, 65536));
    }
}
