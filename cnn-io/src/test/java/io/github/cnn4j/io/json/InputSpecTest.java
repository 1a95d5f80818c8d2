package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputSpecTest {
    @TempDir
    Path dir;

    @Test
    void travelsThroughAModelFile() throws IOException {
        InputSpec spec = new InputSpec(ClassNames.of("a, \"quoted\"", "b"), 3, 4, 5, "CENTER_CROP",
                new float[] {0.1f, 0.2f, 0.3f}, new float[] {1, 2, 3});
        Sequential m = Sequential.of(new Flatten(), new Dense(2), new Softmax()).input(3, 4, 5).seed(1).build();
        Path f = dir.resolve("m.json");
        Map<String, String> meta = new HashMap<>(spec.toMetadata());
        meta.put("other", "x");
        NativeModelFormat.write(f, m, meta);
        NativeModel back = NativeModelFormat.readWithMetadata(f);
        assertEquals(spec, InputSpec.fromMetadata(back.metadata(), f));
        assertNull(InputSpec.fromMetadata(Map.of("other", "x"), f));
    }

    @Test
    void malformedEntriesNameTheFileAndKey() {
        Path f = dir.resolve("m.json");
        Map<String, String> m = new HashMap<>(new InputSpec(ClassNames.numbered(2), 1, 2, 2, "STRETCH", null, null).toMetadata());
        m.put("input.height", "tall");
        FormatException e = assertThrows(FormatException.class, () -> InputSpec.fromMetadata(m, f));
        assertTrue(e.getMessage().contains("input.height") && e.getMessage().startsWith(f.toString()), e.getMessage());
        m.put("input.height", "2");
        m.put("input.class_names", "[\"x\",\"x\"]");
        assertThrows(FormatException.class, () -> InputSpec.fromMetadata(m, f));
    }
}
