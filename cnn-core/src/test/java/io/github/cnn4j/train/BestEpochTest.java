package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class BestEpochTest {
    private static Parameter param(float... v) {
        Parameter p = new Parameter("w", Shape.of(v.length));
        p.set(v);
        return p;
    }

    @Test
    void keepsTheHighestAccuracyAndRestoresItsValues() {
        Parameter p = param(1, 2);
        BestEpoch best = new BestEpoch(List.of(p), true);
        assertTrue(best.offer(1, 0.5, Double.NaN));
        p.set(new float[] {3, 4});
        assertTrue(best.offer(2, 0.7, Double.NaN));
        p.set(new float[] {5, 6});
        assertFalse(best.offer(3, 0.7, Double.NaN), "equal accuracy without a tie-break loss is no improvement");
        assertFalse(best.offer(4, 0.6, Double.NaN));
        assertEquals(2, best.epoch());
        assertEquals(0.7, best.accuracy());
        best.restore();
        assertArrayEquals(new float[] {3, 4}, p.value());
    }

    @Test
    void equalAccuracyWinsOnlyWithALossLowerByTheTieBreakMargin() {
        BestEpoch best = new BestEpoch(List.of(param(0)), false);
        assertTrue(best.offer(1, 0.8, 1.0));
        assertFalse(best.offer(2, 0.8, 1.0 * (1 - BestEpoch.LOSS_TIE_BREAK / 2)), "not lower by 0.1%");
        assertTrue(best.offer(3, 0.8, 1.0 * (1 - 2 * BestEpoch.LOSS_TIE_BREAK)));
        assertEquals(3, best.epoch());
        assertNull(best.values(), "nothing kept without keep-best");
    }

    @Test
    void withoutAnAccuracyEveryEpochIsTheBestAndAResumedBestIsKept() {
        BestEpoch none = new BestEpoch(List.of(param(0)), false);
        assertTrue(none.offer(1, Double.NaN, Double.NaN));
        assertTrue(none.offer(2, Double.NaN, Double.NaN));
        assertEquals(2, none.epoch());

        Parameter p = param(9, 9);
        BestEpoch resumed = new BestEpoch(List.of(p), true);
        resumed.resume(3, 0.9, new float[][] {{1, 1}});
        assertFalse(resumed.offer(4, 0.85, Double.NaN));
        resumed.restore();
        assertArrayEquals(new float[] {1, 1}, p.value());
    }
}
