package io.github.cnn4j.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {

    @Test
    void mixIsAFunctionOfItsArgumentsInOrder() {
        assertEquals(Seeds.mix(1, 2, 3), Seeds.mix(1, 2, 3));
        assertEquals(Seeds.mix(Seeds.mix(1, 2), 3), Seeds.mix(1, 2, 3));
        assertNotEquals(Seeds.mix(1, 2), Seeds.mix(2, 1));
        Set<Long> seen = new HashSet<>();
        for (int epoch = 1; epoch <= 10; epoch++) {
            for (int i = 0; i < 1000; i++) {
                seen.add(Seeds.mix(42, epoch, i));
            }
        }
        assertEquals(10_000, seen.size(), "no collisions among (epoch, index) pairs");
    }

    @Test
    void uniformIsInTheUnitIntervalAndRoughlyFlat() {
        int[] bins = new int[10];
        for (int i = 0; i < 100_000; i++) {
            float u = Seeds.uniform(7, i);
            assertTrue(u >= 0 && u < 1, "value " + u);
            bins[(int) (u * 10)]++;
        }
        for (int b : bins) {
            assertEquals(10_000, b, 400);
        }
        assertEquals(Seeds.uniform(3, 5), Seeds.uniform(3, 5));
        assertNotEquals(Seeds.uniform(3, 5), Seeds.uniform(4, 5));
    }
}
