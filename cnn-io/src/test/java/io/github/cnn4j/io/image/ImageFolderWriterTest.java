package io.github.cnn4j.io.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderWriterTest {
    @TempDir
    Path dir;

    private static Dataset bytes(int n, Shape s, long seed) {
        float[] x = new float[n * s.size()];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (int) ((i * 2654435761L + seed) >>> 7 & 0xFF) / 255f;
        }
        for (int i = 0; i < n; i++) {
            y[i] = (i * 7) % 3;
        }
        return new Dataset(x, y, s, ClassNames.of("a", "b", "c"));
    }

    @Test
    void bytesRoundTripExactlyThroughPngFoldersInGrayAndRgb() throws IOException {
        for (int c : new int[] {1, 3}) {
            Shape s = Shape.of(c, 5, 4);
            Dataset d = bytes(12, s, c);
            Path root = dir.resolve("c" + c);
            assertEquals(12, ImageFolderWriter.write(d, root));
            Dataset back = ImageFolder.builder(root).size(5, 4).channels(c).resize(ResizePolicy.EXACT).build().load();
            assertEquals(List.of("a", "b", "c"), back.classNames().asList());
            // the folder is class after class, files in dataset order within each class
            int k = 0;
            for (int cls = 0; cls < 3; cls++) {
                for (int i = 0; i < 12; i++) {
                    if (d.label(i) == cls) {
                        assertEquals(cls, back.label(k));
                        assertArrayEquals(d.image(i), back.image(k), 0f, "sample " + i);
                        k++;
                    }
                }
            }
        }
    }
}
