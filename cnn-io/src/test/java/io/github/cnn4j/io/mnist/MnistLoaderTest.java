package io.github.cnn4j.io.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.TestData;
import io.github.cnn4j.io.TestFiles;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class MnistLoaderTest {
    private static final Logger LOG = LoggerFactory.getLogger(MnistLoaderTest.class);

    @TempDir
    Path dir;

    @Test
    void loadsRealMnist() throws IOException {
        Path mnist = TestData.mnistDir();
        long t0 = System.nanoTime();
        MnistData data = MnistLoader.load(mnist);
        // reported, not asserted: speed is measured by benchmarks, never by wall-clock limits in tests
        LOG.info("loaded 70,000 MNIST images in {} ms", (System.nanoTime() - t0) / 1_000_000);

        Dataset train = data.train();
        Dataset test = data.test();
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(Shape.of(1, 28, 28), train.shape());
        assertEquals(10, train.classes());
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, train.classCounts());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.classCounts());
        assertEquals(5, train.label(0));
        assertEquals(7, test.label(0));
        float[] img = train.image(0);
        float max = 0;
        float min = 1;
        for (float v : img) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        assertEquals(1f, max);
        assertEquals(0f, min);
        // pixel (row 7, col 12) of the first training image is 253 in the raw file
        byte[] raw = Files.readAllBytes(mnist.resolve("train-images-idx3-ubyte"));
        assertEquals((raw[16 + 7 * 28 + 12] & 0xFF) / 255f, img[7 * 28 + 12]);
    }

    @Test
    void acceptsKaggleNamingAndGzip() throws IOException {
        Path mnist = TestData.mnistDir();
        Files.write(dir.resolve("t10k-images.idx3-ubyte.gz"), TestFiles.gzip(Files.readAllBytes(mnist.resolve("t10k-images-idx3-ubyte"))));
        Files.copy(mnist.resolve("t10k-labels-idx1-ubyte"), dir.resolve("t10k-labels.idx1-ubyte"));
        Dataset test = MnistLoader.loadTest(dir);
        Dataset ref = TestData.mnist().test();
        assertEquals(10_000, test.size());
        assertArrayEquals(ref.labels(), test.labels());
        assertArrayEquals(ref.image(1234), test.image(1234));

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MnistLoader.loadTrain(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte, train-images-idx3-ubyte.gz, train-images.idx3-ubyte, "
                + "train-images.idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void rejectsCountMismatchAndBadLabels() throws IOException {
        byte[] pixels = new byte[3 * 2 * 2];
        Path images = write("images", TestFiles.idx(0x08, new int[] {3, 2, 2}, pixels));
        Path twoLabels = write("labels2", TestFiles.idx(0x08, new int[] {2}, new byte[] {1, 2}));
        FormatException e = assertThrows(FormatException.class, () -> MnistLoader.load(images, twoLabels));
        assertTrue(e.getMessage().contains("holds 2 labels, but its images file"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 3 images"), e.getMessage());

        Path badLabel = write("labels3", TestFiles.idx(0x08, new int[] {3}, new byte[] {1, 12, 2}));
        e = assertThrows(FormatException.class, () -> MnistLoader.load(images, badLabel));
        assertEquals(badLabel, e.file());
        assertTrue(e.getMessage().endsWith("label 1 is 12, expected 0..9"), e.getMessage());

        Path labels = write("labels", TestFiles.idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
        e = assertThrows(FormatException.class, () -> MnistLoader.load(labels, labels));
        assertTrue(e.getMessage().contains("expected images: unsigned bytes (IDX type 0x08) in 3 dimensions"), e.getMessage());
        e = assertThrows(FormatException.class, () -> MnistLoader.load(images, images));
        assertTrue(e.getMessage().contains("expected labels"), e.getMessage());

        Dataset d = MnistLoader.load(images, labels);
        assertEquals(Shape.of(1, 2, 2), d.shape());
        assertArrayEquals(new int[] {1, 2, 3}, d.labels());
        assertArrayEquals(new float[4], d.image(2));
        assertEquals(0, Arrays.stream(d.classCounts()).filter(c -> c > 1).count());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }
}
