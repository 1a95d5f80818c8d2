package io.github.cnn4j.io.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.TestData;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KaggleCsvTest {
    @TempDir
    Path dir;
    static Dataset real;

    @BeforeAll
    static void data() {
        real = TestData.mnist().test().subset(0, 300);
    }

    @Test
    void labeledWithHeaderRoundTripsRealImages() throws IOException {
        Path csv = dir.resolve("train.csv");
        KaggleCsv.writeLabeled(csv, real);
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith("label,pixel0,pixel1,"));
        assertTrue(lines.get(0).endsWith(",pixel783"));
        assertEquals(301, lines.size());
        Dataset back = KaggleCsv.readLabeled(csv);
        assertEquals(Shape.of(1, 28, 28), back.shape());
        assertEquals(10, back.classes());
        assertArrayEquals(real.labels(), back.labels());
        for (int i = 0; i < real.size(); i++) {
            assertArrayEquals(real.image(i), back.image(i), "image " + i);
        }
    }

    @Test
    void headerlessRowsAndCrLfAndBom() throws IOException {
        Path csv = dir.resolve("mnist_test.csv");
        StringBuilder sb = new StringBuilder("\uFEFF");
        for (int i = 0; i < 5; i++) {
            sb.append(row(real, i, true)).append("\r\n");
        }
        sb.append("\n"); // trailing blank line
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
        Dataset d = KaggleCsv.readLabeled(csv);
        assertEquals(5, d.size());
        assertArrayEquals(real.image(4), d.image(4));
        assertEquals(real.label(3), d.label(3));
    }

    @Test
    void unlabeledWithAndWithoutHeader() throws IOException {
        Path csv = dir.resolve("test.csv");
        String header = IntStream.range(0, 784).mapToObj(j -> "pixel" + j).collect(Collectors.joining(","));
        Files.writeString(csv, header + "\n" + row(real, 0, false) + "\n" + row(real, 1, false) + "\n");
        float[][] imgs = KaggleCsv.readUnlabeled(csv);
        assertEquals(2, imgs.length);
        assertArrayEquals(real.image(1), imgs[1]);
        Files.writeString(csv, row(real, 2, false));
        assertArrayEquals(real.image(2), KaggleCsv.readUnlabeled(csv)[0]);

        FormatException e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("u.csv", header + "\n")));
        assertTrue(e.getMessage().contains("looks like an unlabelled CSV"), e.getMessage());
        Path labeled = dir.resolve("l.csv");
        KaggleCsv.writeLabeled(labeled, real.subset(0, 2));
        e = assertThrows(FormatException.class, () -> KaggleCsv.readUnlabeled(labeled));
        assertTrue(e.getMessage().contains("this CSV has labels"), e.getMessage());
    }

    @Test
    void writesSubmission() throws IOException {
        Path out = dir.resolve("submission.csv");
        KaggleCsv.writeSubmission(out, new int[] {2, 0, 9});
        assertEquals("ImageId,Label\n1,2\n2,0\n3,9\n", Files.readString(out));
    }

    @Test
    void rejectsBadRowsWithLineAndColumn() throws IOException {
        String good = row(real, 0, true);
        FormatException e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("short.csv", good + "\n" + good.substring(0, good.lastIndexOf(',')) + "\n")));
        assertTrue(e.getMessage().contains("line 2: expected 785 values (label + 784 pixels), found 784"), e.getMessage());
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("long.csv", good + ",0\n")));
        assertTrue(e.getMessage().contains("line 1: expected 785 values (label + 784 pixels), found more than 785"), e.getMessage());

        String[] cells = good.split(",");
        cells[16] = "12a";
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("nan.csv", good + "\n" + String.join(",", cells) + "\n")));
        assertTrue(e.getMessage().endsWith("line 2, column 17 (pixel15): expected an integer 0..255, found '12a'"), e.getMessage());
        cells[16] = "256";
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("big.csv", String.join(",", cells))));
        assertTrue(e.getMessage().endsWith("line 1, column 17 (pixel15): expected 0..255, found 256"), e.getMessage());
        cells[16] = "-1";
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("neg.csv", String.join(",", cells))));
        assertTrue(e.getMessage().endsWith("line 1, column 17 (pixel15): expected 0..255, found -1"), e.getMessage());
        cells[16] = "1.5";
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("dec.csv", String.join(",", cells))));
        assertTrue(e.getMessage().contains("expected an integer 0..255, found '1.5'"), e.getMessage());
        cells[16] = "0";
        cells[0] = "10";
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("label.csv", String.join(",", cells))));
        assertTrue(e.getMessage().endsWith("line 1, column 1 (label): expected 0..9, found 10"), e.getMessage());
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("hdr.csv", "digit,a,b\n")));
        assertTrue(e.getMessage().contains("expected a header starting with 'label'"), e.getMessage());
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("hdr2.csv", "label,pixel0\n")));
        assertTrue(e.getMessage().contains("expected a header of 785 columns"), e.getMessage());
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("empty.csv", "")));
        assertTrue(e.getMessage().contains("found none"), e.getMessage());
        e = assertThrows(FormatException.class, () -> KaggleCsv.readLabeled(write("huge-line.csv", "1" + ",0".repeat(40_000))));
        assertTrue(e.getMessage().contains("line 1 is longer than 65536 bytes"), e.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static String row(Dataset d, int i, boolean label) {
        StringBuilder sb = new StringBuilder();
        if (label) {
            sb.append(d.label(i));
        }
        for (float v : d.image(i)) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(Math.round(v * 255));
        }
        return sb.toString();
    }
}
