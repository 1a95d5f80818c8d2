package io.github.cnn4j.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The sliced reduction of chunk gradients gives the bits of the serial one, in any slice order. */
class GradientsTest {

    @Property(tries = 200)
    void slicedReductionEqualsTheSerialOneBitForBit(@ForAll @IntRange(min = 1, max = 6) int count, @ForAll @IntRange(min = 1, max = 9) int slices,
                                                    @ForAll @IntRange(min = 1, max = 4) int params, @ForAll long seed) {
        Rng rng = new Rng(seed);
        List<Parameter> ps = new ArrayList<>();
        for (int i = 0; i < params; i++) {
            ps.add(new Parameter("p" + i, Shape.of(1 + rng.nextInt(40))));
        }
        Gradients[] parts = new Gradients[count + 1];
        for (int c = 0; c < parts.length; c++) {
            parts[c] = Gradients.allocate(ps);
            for (int i = 0; i < params; i++) {
                float[] a = parts[c].array(i);
                for (int k = 0; k < a.length; k++) {
                    a[k] = (float) ((rng.nextFloat() - 0.5) * Math.pow(10, rng.nextInt(8) - 4));
                }
            }
        }
        Gradients serial = Gradients.allocate(ps);
        Gradients sliced = Gradients.allocate(ps);
        for (int i = 0; i < params; i++) {
            float start = rng.nextFloat();
            serial.array(i)[0] = start;
            sliced.array(i)[0] = start;
        }
        for (int c = 0; c < count; c++) {
            parts[c].addTo(serial);
        }
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            order.add(s);
        }
        Collections.shuffle(order, new java.util.Random(seed));
        for (int s : order) {
            sliced.addSlice(parts, count, s, slices);
        }
        for (int i = 0; i < params; i++) {
            assertArrayEquals(serial.array(i), sliced.array(i), "parameter " + i + ", " + count + " parts in " + slices + " slices");
        }
    }

    @Property(tries = 20)
    void badSlicesAreRejected(@ForAll @IntRange(min = 1, max = 4) int slices) {
        Gradients g = Gradients.allocate(List.of(new Parameter("w", Shape.of(3))));
        Gradients[] parts = {g};
        assertThrows(IllegalArgumentException.class, () -> g.addSlice(parts, 1, slices, slices));
        assertThrows(IllegalArgumentException.class, () -> g.addSlice(parts, 2, 0, slices));
        assertThrows(IllegalArgumentException.class, () -> g.addSlice(parts, 1, 0, 0));
    }
}
