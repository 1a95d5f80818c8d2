package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.GlobalAvgPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nested layer entries (block, residual) in the native format: what a file must hold, and the errors when it does not. */
class NestedLayersFormatTest {
    private static final String HEAD = "{\"format\": \"cnn4j-model\", \"version\": 1, \"input\": [1, 4, 4], \"layers\": [";

    private static Sequential model() {
        return Sequential.of(new Conv(3, 3, 2).padding(1), new Residual(new Block(new Conv(3, 3, 2).padding(1), new BatchNorm(),
                new ReLU())), new GlobalAvgPool(), new Dense(2), new Softmax()).input(1, 4, 4).seed(1).build();
    }

    private static FormatException rejected(Path dir, String json) throws IOException {
        Path f = dir.resolve("m.json");
        Files.writeString(f, json);
        return assertThrows(FormatException.class, () -> NativeModelFormat.readArchitecture(f));
    }

    @Test
    void aResidualNetworkIsAnArchitectureFileToo(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("arch.json");
        Files.writeString(f, HEAD + "{\"type\": \"conv\", \"kernel\": [3, 3], \"filters\": 2, \"padding\": 1},"
                + "{\"type\": \"residual\", \"block\": {\"type\": \"block\", \"layers\": [{\"type\": \"conv\", \"kernel\": [3, 3],"
                + " \"filters\": 3, \"padding\": 1, \"stride\": 2}, {\"type\": \"batchnorm\"}]}},"
                + "{\"type\": \"globalavgpool\"}, {\"type\": \"dense\", \"units\": 2}, {\"type\": \"softmax\"}]}");
        Sequential m = NativeModelFormat.readArchitecture(f).model();
        Residual r = (Residual) m.layers().get(1);
        assertEquals("Conv(1x1, 3 filters, stride 2)", r.shortcut().name(), "the projection is chosen from the shapes");
        assertEquals(io.github.cnn4j.tensor.Shape.of(3, 2, 2), m.shapes().get(2));
    }

    @Test
    void nestedErrorsNameTheNestedEntry(@TempDir Path dir) throws IOException {
        FormatException e = rejected(dir, HEAD + "{\"type\": \"block\", \"layers\": [{\"type\": \"relu\"}, {\"type\": \"lstm\"}]}]}");
        assertTrue(e.getMessage().contains("layers[0].layers[1].type: unknown layer type 'lstm'"), e.getMessage());
        e = rejected(dir, HEAD + "{\"type\": \"block\", \"layers\": [{\"type\": \"maxpool\", \"size\": 8}]}]}");
        assertTrue(e.getMessage().contains("layers[0] (block): cannot take input (1, 4, 4)"), e.getMessage());
        e = rejected(dir, HEAD + "{\"type\": \"block\", \"layers\": []}]}");
        assertTrue(e.getMessage().contains("layers[0].layers: expected a non-empty array of layer objects"), e.getMessage());
        e = rejected(dir, HEAD + "{\"type\": \"residual\", \"block\": [1, 2]}]}");
        assertTrue(e.getMessage().contains("layers[0].block: expected a layer object, found an array of 2 integers"), e.getMessage());
        e = rejected(dir, HEAD + "{\"type\": \"residual\", \"block\": {\"type\": \"flatten\"}}]}");
        assertTrue(e.getMessage().contains("layers[0] (residual): cannot take input (1, 4, 4)")
                && e.getMessage().contains("an automatic projection needs (channels, height, width)"), e.getMessage());
    }

    @Test
    void nestedLayersCountAgainstTheLayerLimit(@TempDir Path dir) throws IOException {
        StringBuilder sb = new StringBuilder(HEAD + "{\"type\": \"block\", \"layers\": [");
        for (int i = 0; i < 20; i++) {
            sb.append(i == 0 ? "" : ", ").append("{\"type\": \"relu\"}");
        }
        sb.append("]}]}");
        Path f = dir.resolve("deep.json");
        Files.writeString(f, sb.toString());
        FormatException e = assertThrows(FormatException.class,
                () -> NativeModelFormat.readWithMetadata(f, new JsonLimits(1 << 20, 1 << 20, 64, 10)));
        assertTrue(e.getMessage().contains("more than 10 layers, the reader's limit"), e.getMessage());
    }

    @Test
    void aCompositeLayersArraysMustAllBeThere(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.json");
        NativeModelFormat.write(f, model());
        String json = Files.readString(f);
        assertTrue(json.contains("\"block.1.running_var\""), json);
        Files.writeString(f, json.replace("\"block.1.running_var\"", "\"block.1.running_std\""));
        FormatException e = assertThrows(FormatException.class, () -> NativeModelFormat.read(f));
        assertTrue(e.getMessage().contains("layers[1] (residual) has no parameter 'block.1.running_std'"), e.getMessage());
    }
}
