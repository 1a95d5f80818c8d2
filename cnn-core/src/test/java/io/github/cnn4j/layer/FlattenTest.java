package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import io.github.cnn4j.testing.GradientCheck;
import io.github.cnn4j.testing.Layers;
import io.github.cnn4j.testing.TestData;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class FlattenTest {

    @Test
    void flattensInChannelRowColumnOrder() {
        assertEquals(Shape.of(96), new Flatten().outputShape(Shape.of(6, 4, 4)));
        assertEquals(Shape.of(5), new Flatten().outputShape(Shape.of(5)));
        // (2, 2, 2): element [c][i][j] is at c*4 + i*2 + j in the vector
        float[] x = {0, 1, 2, 3, 4, 5, 6, 7, /* second sample */ 10, 11, 12, 13, 14, 15, 16, 17};
        float[] out = Layers.forward(new Flatten(), Shape.of(2, 2, 2), 2, x);
        assertArrayEquals(x, out, 0f);
    }

    record Case(Shape shape, int batch, float[] x, float[] r) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Layers.shapes(), Arbitraries.integers().between(1, 3)).as((s, b) -> new Object[] {s, b})
                .flatMap(a -> {
                    Shape s = (Shape) a[0];
                    int b = (Integer) a[1];
                    return Combinators.combine(Layers.floats(b * s.size()), Layers.floats(b * s.size()))
                            .as((x, r) -> new Case(s, b, x, r));
                });
    }

    @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
    void gradientsMatchFiniteDifferences(@ForAll("cases") Case k) {
        Tensor in = TestData.tensor(k.shape(), k.batch(), k.batch() + 1, k.x());
        GradientCheck.checkLayer(new Flatten(), in, k.r(), GradientCheck.Options.FLOAT32).assertOk(k.shape() + " x" + k.batch());
    }
}
