package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerContextTest {

    @Test
    void gradientsGoToTheParametersOrToRedirectedBuffers() {
        Parameter w = new Parameter("weight", Shape.of(2, 3));
        Parameter b = new Parameter("bias", Shape.of(3));
        Parameter other = new Parameter("other", Shape.of(1));
        LayerContext ctx = new LayerContext(List.of(w, b));
        assertSame(w.grad(), ctx.gradient(w));
        assertSame(b.grad(), ctx.gradient(b));
        assertEquals(2, ctx.gradientMatrix(w).numRows);
        assertEquals(3, ctx.gradientMatrix(w).numCols);
        assertThrows(IllegalArgumentException.class, () -> ctx.gradient(other));

        Gradients all = Gradients.allocate(List.of(other, w, b));
        ctx.gradients(all, 1);
        assertSame(all.array(1), ctx.gradient(w));
        assertNotSame(w.grad(), ctx.gradient(w));
        assertSame(all.array(1), ctx.gradientMatrix(w).data);
        assertThrows(IllegalArgumentException.class, () -> ctx.gradients(all, 0), "offset pointing at other parameters");

        ctx.gradient(b)[2] = 5;
        Gradients shared = Gradients.shared(List.of(other, w, b));
        all.addTo(shared);
        all.addTo(shared);
        assertArrayEquals(new float[] {0, 0, 10}, b.grad());
        all.zero();
        assertArrayEquals(new float[3], all.array(2));
    }

    @Test
    void scratchBuffersAreNamedReusedAndGrown() {
        LayerContext ctx = new LayerContext(List.of());
        float[] a = ctx.floats("xhat", 10);
        assertSame(a, ctx.floats("xhat", 5));
        assertSame(a, ctx.floats(new String("xhat"), 5), "names are compared by value");
        float[] bigger = ctx.floats("xhat", 20);
        assertTrue(bigger.length >= 20);
        assertSame(bigger, ctx.floats("xhat", 20));
        assertNotSame(bigger, ctx.floats("mask", 10));
        int[] i = ctx.ints("switches", 3);
        assertSame(i, ctx.ints("switches", 3));
        StringBuilder made = ctx.object("scratch", StringBuilder::new);
        assertSame(made, ctx.object("scratch", () -> {
            throw new AssertionError("created twice");
        }));
        for (int k = 0; k < 10; k++) {
            ctx.floats("buffer " + k, k + 1);
        }
        assertSame(bigger, ctx.floats("xhat", 1), "more names than the initial table holds");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.ints("xhat", 1));
        assertTrue(e.getMessage().contains("'xhat'"), e.getMessage());
        ctx.training(true);
        assertTrue(ctx.training());
    }

    @Test
    void parameterSetZeroAndMatrices() {
        Parameter p = new Parameter("weight", Shape.of(4, 2));
        assertEquals(8, p.size());
        assertEquals(4, p.valueMatrix().numRows);
        assertSame(p.value(), p.valueMatrix().data);
        assertSame(p.grad(), p.gradMatrix().data);
        p.set(new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertEquals(8f, p.valueMatrix().get(3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.set(new float[7]));
        assertTrue(e.getMessage().contains("8") && e.getMessage().contains("7"), e.getMessage());
        p.grad()[3] = 1;
        p.zeroGrad();
        assertArrayEquals(new float[8], p.grad());
        assertEquals("weight(4, 2)", p.toString());
        Parameter conv = new Parameter("w", Shape.of(2, 1, 3, 3));
        assertEquals(1, conv.valueMatrix().numRows);
        assertEquals(18, conv.valueMatrix().numCols);
    }
}
