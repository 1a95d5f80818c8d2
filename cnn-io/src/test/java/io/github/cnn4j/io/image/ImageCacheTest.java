package io.github.cnn4j.io.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCacheTest {
    @TempDir
    Path dir;

    private Path tree() throws IOException {
        Path root = dir.resolve("data");
        for (int i = 0; i < 5; i++) {
            Images.write(Images.gray(8, 8, i), "png", root.resolve("even/" + i + ".png"));
            Images.write(Images.rgb(10, 6, 40 * i), "png", root.resolve("odd/" + i + ".png"));
        }
        return root;
    }

    private static FileTime modified(Path p) throws IOException {
        return Files.getLastModifiedTime(p);
    }

    @Test
    void theCacheReadsBackWhatDecodingGivesAndIsReused() throws IOException {
        Path root = tree();
        Path cache = dir.resolve("c/data.cache");
        ImageFolder f = ImageFolder.builder(root).size(8, 8).channels(3).build();
        Dataset mem = f.load();
        Dataset c = f.cached(cache);
        assertTrue(Files.isRegularFile(cache));
        assertTrue(!c.inMemory());
        assertEquals(mem.classNames(), c.classNames());
        assertArrayEquals(mem.labels(), c.labels());
        for (int i = 0; i < mem.size(); i++) {
            float[] a = mem.image(i);
            float[] b = c.image(i);
            for (int k = 0; k < a.length; k++) {
                assertEquals(a[k], b[k], 0.5f / 255 + 1e-6f, "quantized to bytes, sample " + i);
            }
        }
        assertArrayEquals(mem.image(0), c.image(0), 0f, "an 8-bit grayscale image at the sample size is stored exactly");
        FileTime t = modified(cache);
        Files.setLastModifiedTime(cache, FileTime.fromMillis(t.toMillis() - 10_000));
        FileTime old = modified(cache);
        Dataset again = ImageFolder.builder(root).size(8, 8).channels(3).build().cached(cache);
        assertEquals(old, modified(cache), "reused, not rebuilt");
        assertEquals(c.fingerprint(), again.fingerprint());
        try (Stream<Path> s = Files.list(cache.getParent())) {
            assertEquals(List.of(cache), s.toList(), "no temporary files left");
        }
    }

    @Test
    void aChangedFolderOrSettingsRebuildTheCache() throws IOException {
        Path root = tree();
        Path cache = dir.resolve("data.cache");
        Dataset first = ImageFolder.builder(root).size(8, 8).build().cached(cache);
        assertEquals(10, first.size());
        Images.write(Images.gray(8, 8, 99), "png", root.resolve("odd/new.png"));
        Dataset added = ImageFolder.builder(root).size(8, 8).build().cached(cache);
        assertEquals(11, added.size(), "a new file");
        Path touched = root.resolve("even/0.png");
        Files.setLastModifiedTime(touched, FileTime.fromMillis(modified(touched).toMillis() + 5000));
        Files.setLastModifiedTime(cache, FileTime.fromMillis(0));
        Dataset retouched = ImageFolder.builder(root).size(8, 8).build().cached(cache);
        assertNotEquals(FileTime.fromMillis(0), modified(cache), "a new mtime of a source file rebuilds the cache");
        assertEquals(added.fingerprint(), retouched.fingerprint(), "the same content");
        Dataset resized = ImageFolder.builder(root).size(4, 4).build().cached(cache);
        assertEquals(16, resized.shape().size(), "other settings");
    }

    @Test
    void aCorruptCacheIsRebuiltAndAForeignFileRefusedByMap() throws IOException {
        Path root = tree();
        Path cache = dir.resolve("data.cache");
        ImageFolder f = ImageFolder.builder(root).size(8, 8).build();
        Dataset good = f.cached(cache);
        float[] expected = good.image(3);
        byte[] b = Files.readAllBytes(cache);
        b[8 + 3 * 64 + 5] ^= 0x7F; // a pixel of sample 3
        Files.write(cache, b);
        Dataset rebuilt = f.cached(cache);
        assertArrayEquals(expected, rebuilt.image(3), 0f, "checksum caught it, rebuilt");
        Path foreign = Files.write(dir.resolve("foreign.cache"), new byte[200]);
        FormatException e = assertThrows(FormatException.class, () -> ImageCache.map(foreign));
        assertTrue(e.getMessage().startsWith(foreign.toString()), e.getMessage());
        Dataset fromForeign = f.cached(foreign);
        assertEquals(10, fromForeign.size(), "a foreign file at the cache path is replaced");
    }

    @Test
    void skippedImagesAreLeftOutOfTheCache() throws IOException {
        Path root = tree();
        Files.write(root.resolve("odd/9.png"), Images.pngHeaderClaiming(50_000, 50_000));
        Path cache = dir.resolve("data.cache");
        assertThrows(FormatException.class, () -> ImageFolder.builder(root).size(8, 8).build().cached(cache));
        assertTrue(!Files.exists(cache), "a failed build leaves no cache");
        ImageFolder f = ImageFolder.builder(root).size(8, 8).skipBad(true).build();
        assertEquals(10, f.cached(cache).size());
        assertEquals(1, f.skipped());
        ImageFolder again = ImageFolder.builder(root).size(8, 8).skipBad(true).build();
        assertEquals(10, again.cached(cache).size());
        assertEquals(1, again.skipped(), "counted in the reused cache too");
    }
}
