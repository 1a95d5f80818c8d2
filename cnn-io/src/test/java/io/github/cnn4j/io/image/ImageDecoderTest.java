package io.github.cnn4j.io.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.FormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir
    Path dir;

    @Test
    void grayscalePngGivesItsBytesOver255Exactly() throws IOException {
        Path f = Images.write(Images.gray(5, 4, 3), "png", dir.resolve("g.png"));
        DecodedImage d = ImageDecoder.decode(f, 1, ImageLimits.DEFAULT);
        assertEquals(4, d.height());
        assertEquals(5, d.width());
        assertEquals((3 + 7 * 2 + 13 * 1) / 255f, d.pixels()[5 + 2], 0f);
        DecodedImage three = ImageDecoder.decode(f, 3, ImageLimits.DEFAULT);
        assertArrayEquals(d.pixels(), Arrays.copyOfRange(three.pixels(), 40, 60), 0f, "grayscale loaded as 3 channels repeats it");
    }

    @Test
    void rgbGivesPlanesAndLumaForOneChannel() throws IOException {
        for (String fmt : new String[] {"png", "bmp"}) {
            Path f = Images.write(Images.rgb(4, 3, 200), fmt, dir.resolve("c." + fmt));
            DecodedImage d = ImageDecoder.decode(f, 3, ImageLimits.DEFAULT);
            int plane = 12;
            int i = 2 * 4 + 3; // x 3, y 2
            assertEquals(200 / 255f, d.pixels()[i], 0f, fmt);
            assertEquals(30 / 255f, d.pixels()[plane + i], 0f, fmt);
            assertEquals(40 / 255f, d.pixels()[2 * plane + i], 0f, fmt);
            float luma = ImageDecoder.decode(f, 1, ImageLimits.DEFAULT).pixels()[i];
            assertEquals(0.299f * 200 / 255f + 0.587f * 30 / 255f + 0.114f * 40 / 255f, luma, 1e-6f);
        }
    }

    @Test
    void gifAndJpegDecode() throws IOException {
        Path gif = Images.write(Images.gray(6, 6, 0), "gif", dir.resolve("a.gif"));
        assertEquals(36, ImageDecoder.decode(gif, 1, ImageLimits.DEFAULT).pixels().length);
        Path jpg = Images.write(Images.rgb(16, 8, 100), "jpg", dir.resolve("a.jpg"));
        DecodedImage d = ImageDecoder.decode(jpg, 3, ImageLimits.DEFAULT);
        assertEquals(8, d.height());
        assertEquals(100 / 255f, d.pixels()[0], 0.05f, "lossy, but close");
    }

    @Test
    void aHeaderClaiming50000x50000IsRefusedBeforeDecoding() throws IOException {
        Path png = Files.write(dir.resolve("bomb.png"), Images.pngHeaderClaiming(50_000, 50_000));
        FormatException e = assertThrows(FormatException.class, () -> ImageDecoder.decode(png, 1, ImageLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(png.toString()) && e.getMessage().contains("50000 x 50000"), e.getMessage());
        assertTrue(e.getMessage().contains("refused before decoding"), e.getMessage());
        Path jpg = Files.write(dir.resolve("bomb.jpg"), Images.jpegHeaderClaiming(50_000, 50_000));
        FormatException j = assertThrows(FormatException.class, () -> ImageDecoder.decode(jpg, 3, ImageLimits.DEFAULT));
        assertTrue(j.getMessage().startsWith(jpg.toString()) && j.getMessage().contains("50000 x 50000"), j.getMessage());
        assertEquals(1, j.getMessage().lines().count(), "one line");
    }

    @Test
    void truncatedCorruptEmptyAndForeignFilesAreErrorsNamingTheFile() throws IOException {
        byte[] good = Images.png(Images.gray(32, 32, 1));
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(good, good.length / 2));
        Path noise = Files.write(dir.resolve("noise.png"), "this is not an image at all".getBytes());
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x5A;
        Path corrupt = Files.write(dir.resolve("corrupt.png"), flipped);
        for (Path p : new Path[] {cut, noise, empty, corrupt}) {
            FormatException e = assertThrows(FormatException.class, () -> ImageDecoder.decode(p, 1, ImageLimits.DEFAULT), p.toString());
            assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        Path jpg = Images.write(Images.rgb(64, 64, 9), "jpg", dir.resolve("whole.jpg"));
        byte[] j = Files.readAllBytes(jpg);
        Path cutJpg = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(j, j.length * 2 / 3));
        FormatException e = assertThrows(FormatException.class, () -> ImageDecoder.decode(cutJpg, 3, ImageLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(cutJpg.toString()), e.getMessage());
    }

    @Test
    void bytesInMemoryDecodeAsTheirFileAndFailTheSameWayNamingTheSource() throws IOException {
        Path f = Images.write(Images.rgb(12, 9, 77), "png", dir.resolve("m.png"));
        byte[] content = Files.readAllBytes(f);
        Path name = Path.of("hdfs://cluster/images/m.png");
        assertArrayEquals(ImageDecoder.decode(f, 3, ImageLimits.DEFAULT).pixels(), ImageDecoder.decode(content, name, 3, ImageLimits.DEFAULT).pixels(), 0f);
        assertArrayEquals(ImageDecoder.decode(f, 1, 6, 8, ResizePolicy.CENTER_CROP, ImageLimits.DEFAULT),
                ImageDecoder.decode(content, name, 1, 6, 8, ResizePolicy.CENTER_CROP, ImageLimits.DEFAULT), 0f);
        for (byte[] bad : new byte[][] {Arrays.copyOf(content, content.length / 2), new byte[0], Images.pngHeaderClaiming(50_000, 50_000)}) {
            FormatException e = assertThrows(FormatException.class, () -> ImageDecoder.decode(bad, name, 1, ImageLimits.DEFAULT));
            assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        assertTrue(assertThrows(FormatException.class, () -> ImageDecoder.decode(content, name, 1, new ImageLimits(100, 10_000, 10)))
                .getMessage().contains("bytes"));
    }

    @Test
    void oversizedFilesAndImagesOverTheLimitsAreRefused() throws IOException {
        Path f = Images.write(Images.gray(40, 30, 0), "png", dir.resolve("big.png"));
        assertTrue(assertThrows(FormatException.class, () -> ImageDecoder.decode(f, 1, new ImageLimits(39, 1 << 20, 1 << 20)))
                .getMessage().contains("40 x 30"));
        assertThrows(FormatException.class, () -> ImageDecoder.decode(f, 1, new ImageLimits(100, 1000, 1 << 20)));
        assertTrue(assertThrows(FormatException.class, () -> ImageDecoder.decode(f, 1, new ImageLimits(100, 10_000, 10)))
                .getMessage().contains("bytes"));
    }

    @Test
    void resizePolicies() throws IOException {
        Path f = Images.write(Images.gray(8, 4, 0), "png", dir.resolve("wide.png"));
        assertEquals(16, ImageDecoder.decode(f, 1, 4, 4, ResizePolicy.STRETCH, ImageLimits.DEFAULT).length);
        float[] crop = ImageDecoder.decode(f, 1, 4, 4, ResizePolicy.CENTER_CROP, ImageLimits.DEFAULT);
        DecodedImage d = ImageDecoder.decode(f, 1, ImageLimits.DEFAULT);
        assertEquals(d.pixels()[2], crop[0], 0f, "the centre 4 x 4 of 8 x 4 starts at x = 2");
        float[] pad = ImageDecoder.decode(f, 1, 4, 4, ResizePolicy.PAD, ImageLimits.DEFAULT);
        assertEquals(0f, pad[0], 0f, "top row is padding");
        assertEquals(0f, pad[15], 0f, "bottom row is padding");
        FormatException e = assertThrows(FormatException.class, () -> ImageDecoder.decode(f, 1, 4, 4, ResizePolicy.EXACT, ImageLimits.DEFAULT));
        assertTrue(e.getMessage().contains("expected an image of 4 x 4 pixels, found 8 x 4"), e.getMessage());
    }
}
