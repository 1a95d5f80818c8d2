package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.json.InputSpec;
import io.github.cnn4j.io.json.NativeModel;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.random.Rng;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train ARCH.json --data FOLDER}, {@code test} and {@code predict} on a generated RGB image
 * folder, and the clear one-line errors for bad images and empty class folders.
 */
class ImageFolderCliTest {
    private static final String[] CLASSES = {"blue", "green", "red"};

    @TempDir
    Path dir;

    /** Noisy images whose dominant colour is the class; every fifth one larger (resized on reading). */
    static void writeSet(Path root, int perClass, long seed) throws IOException {
        Rng rng = new Rng(seed);
        for (int c = 0; c < CLASSES.length; c++) {
            Path d = Files.createDirectories(root.resolve(CLASSES[c]));
            for (int i = 0; i < perClass; i++) {
                int size = i % 5 == 0 ? 16 : 12;
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int[] rgb = new int[3];
                        for (int k = 0; k < 3; k++) {
                            rgb[k] = rng.nextInt(120);
                        }
                        rgb[2 - c] += 100 + rng.nextInt(36); // blue = 0 -> B, green -> G, red -> R
                        img.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
                    }
                }
                ImageIO.write(img, "png", d.resolve(String.format("%03d.png", i)).toFile());
            }
        }
    }

    private Path arch() throws IOException {
        return Files.writeString(dir.resolve("tiny.json"), """
                { "format": "cnn4j-model", "version": 1, "input": [3, 12, 12], "seed": 5, "init": "MODERN",
                  "metadata": { "train.learning_rate": "0.01" },
                  "layers": [ { "type": "conv", "kernel": [3, 3], "filters": 4, "padding": 0 }, { "type": "relu" },
                              { "type": "maxpool", "size": 2 }, { "type": "flatten" }, { "type": "dense", "units": 3 },
                              { "type": "softmax" } ] }
                """);
    }

    @Test
    void trainTestAndPredictAnRgbFolderWithClassNamesEndToEnd() throws IOException {
        Path train = dir.resolve("train");
        Path test = dir.resolve("test");
        writeSet(train, 40, 1);
        writeSet(test, 10, 2);
        Path out = dir.resolve("runs");
        CliTest.Result r = CliTest.run("train", arch().toString(), "--data", train.toString(), "--epochs", "3", "--batch-size", "8",
                "--optimizer", "ADAM", "--val-split", "0.2", "--normalize", "--cache", dir.resolve("train.cache").toString(),
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("96 training and 24 validation samples of (3, 12, 12), classes [blue, green, red]"), r.out());
        Path model = out.resolve("tiny.json");
        NativeModel saved = NativeModelFormat.readWithMetadata(model);
        InputSpec spec = InputSpec.fromMetadata(saved.metadata(), model);
        assertEquals(List.of("blue", "green", "red"), spec.classNames().asList());
        assertEquals(3, spec.channels());
        assertTrue(spec.normalized());

        CliTest.Result t = CliTest.run("test", model.toString(), "--data", test.toString(), "--no-cache", "--out", dir.resolve("reports").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("green"), t.out());
        Matcher m = Pattern.compile("(?i)accuracy[^0-9]*([0-9.]+)").matcher(t.out());
        assertTrue(m.find(), t.out());
        double acc = Double.parseDouble(m.group(1));
        assertTrue(acc > 90, "the colours are easy to tell apart: " + t.out());
        assertTrue(Files.size(dir.resolve("reports/tiny_confusion.png")) > 1000);

        Path csv = dir.resolve("pred.csv");
        CliTest.Result p = CliTest.run("predict", model.toString(), "--data", test.resolve("red").toString(),
                test.resolve("blue/000.png").toString(), "--out", csv.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("file,class,blue,green,red", lines.get(0));
        assertEquals(12, lines.size());
        long red = lines.stream().skip(1).filter(l -> l.split(",")[1].equals("red")).count();
        assertTrue(red >= 9, lines.toString());
        assertTrue(lines.get(11).contains("blue/000.png,blue,"), lines.get(11));
    }

    @Test
    void grayscaleImagesLoadAsThreeChannels() throws IOException {
        Path train = dir.resolve("gray");
        for (String c : new String[] {"dark", "light"}) {
            Files.createDirectories(train.resolve(c));
            for (int i = 0; i < 12; i++) {
                BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
                for (int k = 0; k < 144; k++) {
                    img.getRaster().setSample(k % 12, k / 12, 0, (c.equals("dark") ? 20 : 200) + i);
                }
                ImageIO.write(img, "png", train.resolve(c + "/" + i + ".png").toFile());
            }
        }
        Path a = Files.writeString(dir.resolve("two.json"), Files.readString(arch()).replace("\"units\": 3", "\"units\": 2"));
        CliTest.Result r = CliTest.run("train", a.toString(), "--data", train.toString(), "--channels", "3", "--epochs", "2",
                "--no-cache", "--val-split", "0", "--out", dir.resolve("g").toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("of (3, 12, 12), classes [dark, light]"), r.out());
        CliTest.Result t = CliTest.run("test", dir.resolve("g/two.json").toString(), "--data", train.toString(), "--no-cache",
                "--out", dir.resolve("report").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("dark") && t.out().contains("light") && t.out().contains("Accuracy"), t.out());
        assertTrue(Files.isRegularFile(dir.resolve("report/two_confusion.png")), "the confusion PNG goes to --out, not the working directory");
    }

    @Test
    void badImagesAndEmptyClassFoldersAreOneLineErrorsOrSkipped() throws IOException {
        Path train = dir.resolve("train");
        writeSet(train, 10, 3);
        Path corrupt = Files.write(train.resolve("red/zz-corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3});
        Path hostile = train.resolve("green/zz-hostile.jpg");
        Files.write(hostile, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 17, 8, (byte) 0xC3, 0x50, (byte) 0xC3, 0x50, 3,
            1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, (byte) 0xFF, (byte) 0xDA, 0, 12, 3, 1, 0, 2, 0, 3, 0, 0, 63, 0, (byte) 0xFF, (byte) 0xD9});
        String[] args = {"train", arch().toString(), "--data", train.toString(), "--epochs", "1", "--no-cache", "--out",
            dir.resolve("o").toString(), "--quiet"};
        CliTest.Result r = CliTest.run(args);
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(hostile.toString()) && r.err().contains("50000 x 50000"), r.err());
        String[] skip = java.util.Arrays.copyOf(args, args.length + 1);
        skip[args.length] = "--skip-bad";
        CliTest.Result s = CliTest.run(skip);
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("27 training and 3 validation samples"), s.out());
        Files.delete(hostile);
        CliTest.Result c = CliTest.run("train", arch().toString(), "--data", train.toString(), "--epochs", "1", "--cache",
                dir.resolve("c.cache").toString(), "--out", dir.resolve("o").toString(), "--quiet");
        assertEquals(1, c.code());
        assertTrue(c.err().contains(corrupt.toString()), "[" + c.err() + "]" + c.out());
        Files.createDirectories(train.resolve("yellow"));
        CliTest.Result e = CliTest.run(args);
        assertEquals(1, e.code());
        assertTrue(e.err().contains("yellow") && e.err().contains("holds no PNG, JPEG, BMP or GIF images"), e.err());
    }
}
