package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.PaperFixtures;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void detectsAndLoadsEitherFormat() throws IOException {
        Path paperModel = PaperFixtures.writeModel(dir.resolve("CNN_T.json"), 2);
        Path paperConfig = PaperFixtures.writeConfig(dir.resolve("config_T.json"));
        assertEquals(ModelFileKind.PAPER_MODEL, ModelFiles.detect(paperModel));
        assertEquals(ModelFileKind.PAPER_CONFIG, ModelFiles.detect(paperConfig));
        Sequential a = ModelFiles.load(paperModel);
        Path nat = dir.resolve("a.cnn4j.json");
        NativeModelFormat.write(nat, a);
        assertEquals(ModelFileKind.CNN4J_MODEL, ModelFiles.detect(nat));
        assertArrayEquals(a.parameters().get(0).value(), ModelFiles.load(nat).parameters().get(0).value());
        FormatException e = assertThrows(FormatException.class, () -> ModelFiles.load(paperConfig));
        assertTrue(e.getMessage().contains("found a config without weights"), e.getMessage());
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"name\": \"resnet\"}");
        e = assertThrows(FormatException.class, () -> ModelFiles.detect(other));
        assertTrue(e.getMessage().contains("found neither"), e.getMessage());
    }
}
