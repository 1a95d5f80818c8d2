package io.github.cnn4j.io.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.cnn4j.data.ClassNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionCsvTest {
    @TempDir
    Path dir;

    @Test
    void oneRowPerInputWithTheMostProbableClass() throws IOException {
        Path f = dir.resolve("p.csv");
        PredictionCsv.write(f, List.of("a.png", "b,c.png"), ClassNames.of("cat", "dog"), new float[] {0.25f, 0.75f, 0.9f, 0.1f});
        assertEquals(List.of("file,class,cat,dog", "a.png,dog,0.250000,0.750000", "\"b,c.png\",cat,0.900000,0.100000"),
                Files.readAllLines(f));
        assertThrows(IllegalArgumentException.class, () -> PredictionCsv.write(f, List.of("a"), ClassNames.numbered(2), new float[3]));
    }
}
