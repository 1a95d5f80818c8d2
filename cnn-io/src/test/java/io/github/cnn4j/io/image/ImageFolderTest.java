package io.github.cnn4j.io.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    private void tree() throws IOException {
        Images.write(Images.gray(6, 6, 1), "png", root.resolve("zebra/b.png"));
        Images.write(Images.gray(6, 6, 2), "png", root.resolve("zebra/a.png"));
        Images.write(Images.gray(12, 9, 3), "bmp", root.resolve("ant/x.BMP"));
        Images.write(Images.gray(6, 6, 4), "gif", root.resolve("moth/1.gif"));
        Files.writeString(root.resolve("moth/README.txt"), "not an image, ignored");
        Files.writeString(root.resolve("moth/.hidden.png"), "hidden, ignored");
    }

    @Test
    void classesAreSortedFolderNamesAndFilesSortedWithin() throws IOException {
        tree();
        ImageFolder f = ImageFolder.builder(root).size(6, 6).build();
        assertEquals(List.of("ant", "moth", "zebra"), f.classNames().asList());
        assertEquals(List.of("x.BMP", "1.gif", "a.png", "b.png"), f.files().stream().map(p -> p.getFileName().toString()).toList());
        Dataset d = f.load();
        assertEquals(Shape.of(1, 6, 6), d.shape());
        assertArrayEquals(new int[] {0, 1, 2, 2}, d.labels());
        assertEquals("zebra", d.classNames().name(d.label(3)));
        assertEquals((2 + 7) / 255f, d.image(2)[1], 0f, "a.png at its own size is exact");
    }

    @Test
    void withoutASizeTheFirstImagesSizeIsUsed() throws IOException {
        tree();
        ImageFolder f = ImageFolder.builder(root).channels(3).build();
        assertEquals(Shape.of(3, 9, 12), f.shape(), "ant/x.BMP is first");
        assertEquals(4, f.load().size());
    }

    @Test
    void anEmptyClassFolderIsAClearError() throws IOException {
        tree();
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("empty/notes.txt"), "x");
        FormatException e = assertThrows(FormatException.class, () -> ImageFolder.builder(root).build());
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("holds no PNG, JPEG, BMP or GIF images"), e.getMessage());
        Path flat = Files.createDirectories(root.resolve("../flat-" + System.nanoTime()));
        assertTrue(assertThrows(FormatException.class, () -> ImageFolder.builder(flat).build()).getMessage().contains("no sub-folder"));
        assertThrows(FormatException.class, () -> ImageFolder.builder(root.resolve("missing")).build());
    }

    @Test
    void badImagesFailNamingTheFileOrAreSkippedAndCounted() throws IOException {
        tree();
        Path corrupt = Files.write(root.resolve("ant/corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        Path bomb = Files.write(root.resolve("moth/bomb.jpg"), Images.jpegHeaderClaiming(50_000, 50_000));
        FormatException e = assertThrows(FormatException.class, () -> ImageFolder.builder(root).size(6, 6).build().load());
        assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());
        ImageFolder skip = ImageFolder.builder(root).size(6, 6).skipBad(true).build();
        Dataset d = skip.load();
        assertEquals(4, d.size());
        assertEquals(2, skip.skipped());
        Dataset lazy = skip.lazy(1);
        assertEquals(4, lazy.size(), "bad headers are skipped before lazy decoding");
        assertArrayEquals(d.image(3), lazy.image(3), 0f);
        assertTrue(Files.exists(bomb));
    }

    @Test
    void lazyDecodingGivesTheSameSamplesAsLoading() throws IOException {
        tree();
        ImageFolder f = ImageFolder.builder(root).size(5, 7).channels(3).resize(ResizePolicy.CENTER_CROP).build();
        Dataset mem = f.load();
        Dataset lazy = f.lazy(2);
        assertEquals(mem.shape(), lazy.shape());
        for (int i = 0; i < mem.size(); i++) {
            assertArrayEquals(mem.image(i), lazy.image(i), 0f);
        }
        assertEquals(mem.classNames(), lazy.classNames());
    }
}
