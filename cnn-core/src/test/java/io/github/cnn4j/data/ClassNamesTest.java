package io.github.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassNamesTest {
    @Test
    void namesByLabel() {
        ClassNames n = ClassNames.of("cat", "dog");
        assertEquals(2, n.size());
        assertEquals("dog", n.name(1));
        assertEquals(0, n.indexOf("cat"));
        assertEquals(-1, n.indexOf("cow"));
        assertFalse(n.isNumbered());
        assertEquals(List.of("0", "1", "2"), ClassNames.numbered(3).asList());
        assertTrue(ClassNames.numbered(3).isNumbered());
    }

    @Test
    void rejectsEmptyRepeatedAndBlankNames() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClassNames.of("a", "b", "a")).getMessage().contains("'a'"));
        assertThrows(IllegalArgumentException.class, () -> ClassNames.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ClassNames.of("a", " "));
        assertThrows(IllegalArgumentException.class, () -> ClassNames.numbered(0));
    }
}
