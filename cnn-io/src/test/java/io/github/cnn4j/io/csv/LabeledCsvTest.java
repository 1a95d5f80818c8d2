package io.github.cnn4j.io.csv;

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

class LabeledCsvTest {
    @TempDir
    Path dir;

    @Test
    void textLabelsInAnyColumnWithAHeaderBecomeSortedClassNames() throws IOException {
        Path f = Files.writeString(dir.resolve("a.csv"), "p0,p1,kind,p2,p3\n1,2,dog,3,4\n5,6,cat,7,8\n0,0,dog,0,255\n");
        LabeledCsv r = LabeledCsv.builder(f).labelColumn("kind").shape(Shape.of(1, 2, 2)).scale(0.5f);
        Dataset d = r.read();
        assertEquals("kind", r.labelTitle());
        assertEquals(List.of("cat", "dog"), d.classNames().asList());
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertArrayEquals(new float[] {2.5f, 3, 3.5f, 4}, d.image(1), 0f);
        assertEquals(Shape.of(1, 2, 2), d.shape());
    }

    @Test
    void numericLabelsLastColumnNoHeader() throws IOException {
        Path f = Files.writeString(dir.resolve("b.csv"), "0.5,1.5,2\r\n1,1,0\r\n");
        Dataset d = LabeledCsv.builder(f).labelColumn(-1).read();
        assertEquals(3, d.classes());
        assertEquals(Shape.of(2), d.shape());
        assertArrayEquals(new int[] {2, 0}, d.labels());
    }

    @Test
    void badLinesAreErrorsNamingFileLineAndColumn() throws IOException {
        Path ragged = Files.writeString(dir.resolve("r.csv"), "1,2,3\n1,2\n");
        assertTrue(assertThrows(FormatException.class, () -> LabeledCsv.builder(ragged).read()).getMessage()
                .matches(".*r\\.csv: line 2 has 2 columns, expected 3"));
        Path word = Files.writeString(dir.resolve("w.csv"), "1,2,3\n1,x,3\n");
        assertTrue(assertThrows(FormatException.class, () -> LabeledCsv.builder(word).read()).getMessage().contains("line 2, column 2"));
        Path nan = Files.writeString(dir.resolve("n.csv"), "1,2,3\n1,NaN,3\n");
        assertThrows(FormatException.class, () -> LabeledCsv.builder(nan).read());
        Path shape = Files.writeString(dir.resolve("s.csv"), "1,2,3\n");
        assertTrue(assertThrows(FormatException.class, () -> LabeledCsv.builder(shape).shape(Shape.of(1, 2, 2)).read()).getMessage()
                .contains("needs 4"));
        Path empty = Files.writeString(dir.resolve("e.csv"), "a,b\n");
        assertTrue(assertThrows(FormatException.class, () -> LabeledCsv.builder(empty).read()).getMessage().contains("no sample"));
    }
}
