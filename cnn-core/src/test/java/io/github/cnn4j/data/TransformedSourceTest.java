package io.github.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.testing.TestData;
import org.junit.jupiter.api.Test;

class TransformedSourceTest {
    @Test
    void eachSampleIsTransformedWithItsPositionsSeed() {
        Dataset mem = TestData.random(12, Shape.of(1, 6, 6), 2, 5);
        Transform t = Pipeline.of(new Resize(8, 8), new RandomCrop(5, 5, 0), new ConvertChannels(3));
        TransformedSource s = new TransformedSource(mem, t, 77);
        assertEquals(Shape.of(3, 5, 5), s.shape());
        Dataset d = Dataset.of(s);
        for (int i = 0; i < 12; i++) {
            float[] expected = new float[75];
            t.apply(mem.image(i), 0, mem.shape(), expected, 0, Seeds.mix(77, i));
            assertArrayEquals(expected, d.image(i), 0f);
            assertArrayEquals(d.image(i), d.image(i), 0f);
        }
        assertNotEquals(s.contentHash(), new TransformedSource(mem, t, 78).contentHash());
        assertThrows(IllegalArgumentException.class, () -> new TransformedSource(mem, new CenterCrop(7, 7), 1));
    }
}
