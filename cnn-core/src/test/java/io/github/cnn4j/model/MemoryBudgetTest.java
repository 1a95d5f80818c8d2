package io.github.cnn4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void aRequestBeyondTheBudgetIsRefusedNamingSubjectFigureAndLimit() {
        MemoryBudget b = MemoryBudget.ofBytes(1 << 20);
        b.require("small.json", 1000, "a few values");
        MemoryBudgetException e = assertThrows(MemoryBudgetException.class, () -> b.require("big.json", 3L << 30, "3 GiB of weights"));
        assertEquals("big.json: needs 3.00 GiB (3 GiB of weights), more than the memory budget of 1.00 MiB (a budget of 1.00 MiB)",
                e.getMessage());
        assertEquals("needs 3.00 GiB (3 GiB of weights), more than the memory budget of 1.00 MiB (a budget of 1.00 MiB)", e.detail());
    }

    @Test
    void aRequestThatFitsTheBudgetButNotTheFreeHeapIsRefused() {
        Runtime rt = Runtime.getRuntime();
        long heap = rt.maxMemory();
        MemoryBudget b = MemoryBudget.ofBytes(heap);
        long used = rt.totalMemory() - rt.freeMemory();
        MemoryBudgetException e = assertThrows(MemoryBudgetException.class, () -> b.require("x", heap - 1, "nearly the whole heap"));
        assertTrue(used > 0 && e.getMessage().contains("free of the JVM's heap of"), e.getMessage());
    }

    @Test
    void theBudgetIsTheHeapOrAConfiguredSmallerFigure() {
        String before = System.getProperty(MemoryBudget.PROPERTY);
        try {
            System.clearProperty(MemoryBudget.PROPERTY);
            assertEquals(Runtime.getRuntime().maxMemory(), MemoryBudget.current().limit());
            System.setProperty(MemoryBudget.PROPERTY, "64m");
            assertEquals(64L << 20, MemoryBudget.current().limit());
            System.setProperty(MemoryBudget.PROPERTY, "100000g"); // more than the heap: the heap decides
            assertEquals(Runtime.getRuntime().maxMemory(), MemoryBudget.current().limit());
            System.setProperty(MemoryBudget.PROPERTY, "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, MemoryBudget::current);
            assertTrue(e.getMessage().startsWith("-Dcnn4j.memoryBudget=lots: expected a size in bytes"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(MemoryBudget.PROPERTY);
            } else {
                System.setProperty(MemoryBudget.PROPERTY, before);
            }
        }
        assertEquals(512L, MemoryBudget.parse("512"));
        assertEquals(3L << 10, MemoryBudget.parse("3K"));
        assertEquals(2L << 30, MemoryBudget.parse("2g"));
        assertThrows(IllegalArgumentException.class, () -> MemoryBudget.parse("-1m"));
        assertEquals("640 KiB", MemoryBudget.format(640 << 10));
        assertEquals("12 bytes", MemoryBudget.format(12));
        assertEquals("1.96 GiB", MemoryBudget.format(2_100_000_000L));
    }
}
