package io.github.cnn4j.examples.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedStudyTest {
    @Test
    void seedOneIsTheConfigsAndTheOthersAFixedDerivation() {
        assertEquals(555124141L, Reproduction.seed(555124141L, 1));
        Set<Long> seen = new HashSet<>();
        for (int k = 1; k <= 50; k++) {
            long s = Reproduction.seed(555124141L, k);
            assertTrue(s >= 0 && s < (1L << 31), "31-bit: " + s);
            assertTrue(seen.add(s), "seed " + k + " repeats an earlier one");
            assertEquals(s, Reproduction.seed(555124141L, k), "a pure function of (config seed, k)");
        }
        assertNotEquals(Reproduction.seed(555124141L, 2), Reproduction.seed(2146346L, 2), "each model derives its own seeds");
        assertThrows(IllegalArgumentException.class, () -> Reproduction.seed(1, 0));
    }

    @Test
    void seedSpecifications() {
        assertEquals(List.of(1, 2, 3), SeedStudy.seedNumbers("3"));
        assertEquals(List.of(4, 2), SeedStudy.seedNumbers("4,2"));
        assertEquals(List.of(7), SeedStudy.seedNumbers("7,"));
        assertEquals(10, SeedStudy.seedNumbers(" 10 ").size());
        for (String bad : new String[] {"0", "-2", "1,0", "x", "1,,x", ",", "1,1", "1001"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeedStudy.seedNumbers(bad), bad);
            assertTrue(e.getMessage().startsWith("--seeds: "), e.getMessage());
        }
    }

    @Test
    void statisticsAndThePapersPercentile() {
        SeedSummary s = new SeedSummary("A", 97.5, new int[] {1, 2, 3, 4}, new double[] {97.0, 97.5, 98.0, 97.5});
        assertEquals(97.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(0.5 / 3), s.std(), 1e-12);
        assertEquals(97.0, s.min());
        assertEquals(98.0, s.max());
        assertEquals(50.0, s.paperPercentile(), 1e-12, "one below, two ties counted half");
        assertEquals(100.0, new SeedSummary("A", 99, new int[] {1, 2}, new double[] {97, 98}).paperPercentile());
        assertEquals(0.0, new SeedSummary("A", 96, new int[] {1, 2}, new double[] {97, 98}).paperPercentile());
        assertEquals(25.0, new SeedSummary("A", 97.2, new int[] {1, 2, 3, 4}, new double[] {97.1, 97.3, 97.4, 97.5}).paperPercentile());
        assertEquals(0.0, new SeedSummary("A", 97, new int[] {1}, new double[] {97.5}).std());
        assertThrows(IllegalArgumentException.class, () -> new SeedSummary("A", 97, new int[] {1, 2}, new double[] {97}));
        String table = SeedStudy.table(List.of(s));
        assertTrue(table.contains("| A | 97.50% | 4 | 97.50% ± 0.41 | 97.00% – 98.00% | 50 |"), table);
    }
}
