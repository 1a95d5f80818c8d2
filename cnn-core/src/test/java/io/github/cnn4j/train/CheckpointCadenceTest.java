package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckpointCadenceTest {
    @Test
    void dueBySamplesOrByTimeSinceTheLastCheckpoint() {
        CheckpointCadence c = new CheckpointCadence(100, Duration.ofSeconds(60));
        c.taken(1000, 0);
        assertFalse(c.due(1099, 59_999_999_999L));
        assertTrue(c.due(1100, 0), "100 samples since");
        assertTrue(c.due(1000, 60_000_000_000L), "a minute since");
        c.taken(1100, 10);
        assertFalse(c.due(1150, 20));
    }

    @Test
    void zeroTurnsEitherRuleOff() {
        CheckpointCadence never = new CheckpointCadence(0, Duration.ZERO);
        never.taken(0, 0);
        assertFalse(never.due(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointCadence(-1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointCadence(0, Duration.ofSeconds(-1)));
    }
}
