package io.github.cnn4j.io.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {
    @TempDir
    Path dir;

    private static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(payload).array();
    }

    @Test
    void anyRankAndClassCount() throws IOException {
        byte[] px = new byte[2 * 3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 10);
        }
        Path images = Files.write(dir.resolve("x.idx"), idx(0x08, new int[] {2, 3, 2, 2}, px));
        Path labels = Files.write(dir.resolve("y.idx"), idx(0x08, new int[] {2}, new byte[] {25, 3}));
        Dataset d = IdxDataset.load(images, labels);
        assertEquals(Shape.of(3, 2, 2), d.shape());
        assertEquals(26, d.classes());
        assertEquals(130 / 255f, d.image(1)[1], 0f);
        Path flat = Files.write(dir.resolve("flat.idx"), idx(0x08, new int[] {2, 12}, px));
        assertEquals(Shape.of(12), IdxDataset.load(flat, labels).shape());
        Path grid = Files.write(dir.resolve("grid.idx"), idx(0x08, new int[] {2, 4, 3}, px));
        assertEquals(Shape.of(1, 4, 3), IdxDataset.load(grid, labels, ClassNames.numbered(30)).shape());
        assertTrue(assertThrows(FormatException.class, () -> IdxDataset.load(grid, labels, ClassNames.numbered(4))).getMessage()
                .contains("label 25"));
        Path three = Files.write(dir.resolve("three.idx"), idx(0x08, new int[] {3}, new byte[] {0, 1, 2}));
        assertTrue(assertThrows(FormatException.class, () -> IdxDataset.load(images, three)).getMessage().contains("3 labels"));
    }
}
