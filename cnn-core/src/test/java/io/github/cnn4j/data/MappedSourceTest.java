package io.github.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedSourceTest {
    @TempDir
    Path dir;

    @Test
    void bytesAreScaledLikeTheMnistLoaderAndOffsetsRespected() throws IOException {
        Shape s = Shape.of(1, 2, 2);
        byte[] file = new byte[7 + 3 * 4];
        for (int i = 0; i < 12; i++) {
            file[7 + i] = (byte) (i * 20);
        }
        Path f = dir.resolve("u8.bin");
        Files.write(f, file);
        MappedSource m = new MappedSource(f, 7, s, MappedSource.Encoding.UINT8, new int[] {0, 1, 1}, ClassNames.of("a", "b"), 5);
        float[] out = new float[4];
        m.copySample(2, out, 0);
        assertArrayEquals(new float[] {160 / 255f, 180 / 255f, 200 / 255f, 220 / 255f}, out, 0f);
        Dataset d = Dataset.of(m);
        assertEquals("b", d.classNames().name(d.label(2)));
        assertThrows(IndexOutOfBoundsException.class, () -> m.copySample(3, out, 0));
    }

    @Test
    void floatsAreLittleEndian() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * 6).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            b.putFloat(i * 0.5f - 1);
        }
        Path f = dir.resolve("f32.bin");
        Files.write(f, b.array());
        MappedSource m = new MappedSource(f, 0, Shape.of(3), MappedSource.Encoding.FLOAT32, new int[] {0, 0}, ClassNames.numbered(1), 1);
        float[] out = new float[6];
        m.copySample(0, out, 0);
        m.copySample(1, out, 3);
        assertArrayEquals(new float[] {-1, -0.5f, 0, 0.5f, 1, 1.5f}, out, 0f);
    }

    @Test
    void aShortFileIsAnErrorNamingIt() throws IOException {
        Path f = dir.resolve("short.bin");
        Files.write(f, new byte[10]);
        IOException e = assertThrows(IOException.class,
                () -> new MappedSource(f, 0, Shape.of(1, 2, 2), MappedSource.Encoding.UINT8, new int[3], ClassNames.numbered(1), 0));
        assertTrue(e.getMessage().contains("short.bin") && e.getMessage().contains("12 bytes"), e.getMessage());
    }
}
