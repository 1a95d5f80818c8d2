package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.PaperFixtures;
import io.github.cnn4j.io.TestData;
import io.github.cnn4j.io.TestFiles;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeModelFormatTest {
    @TempDir
    Path dir;

    /** Every layer type and option of cnn-core. */
    static Sequential everyLayer() {
        Sequential m = Sequential.of(new Conv(5, 3, 4).padding(2), new Tanh(), new MaxPool(2),
                new Conv(3, 3, 6), new ReLU(), new MaxPool(3),
                new Flatten(), new Dense(32), new Sigmoid(), new Dense(16), new Tanh(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(-123456789L).init(InitPreset.MODERN).build();
        // Exotic values must survive exactly.
        float[] w = m.parameters().get(0).value();
        w[0] = -0.0f;
        w[1] = Float.MIN_VALUE;
        w[2] = Float.MAX_VALUE;
        w[3] = 1.0f / 3.0f;
        return m;
    }

    @Test
    void roundTripIsExact() throws IOException {
        Sequential m = everyLayer();
        Path file = dir.resolve("model.json");
        NativeModelFormat.write(file, m, Map.of("trained_epochs", "3", "note", "every layer"));
        NativeModel back = NativeModelFormat.readWithMetadata(file);
        Sequential b = back.model();
        assertEquals(Map.of("trained_epochs", "3", "note", "every layer"), back.metadata());
        assertEquals(m.toString(), b.toString());
        assertEquals(m.shapes(), b.shapes());
        assertEquals(m.seed(), b.seed());
        assertEquals(InitPreset.MODERN, b.initPreset());
        for (int i = 0; i < m.parameters().size(); i++) {
            float[] x = m.parameters().get(i).value();
            float[] y = b.parameters().get(i).value();
            assertEquals(x.length, y.length);
            for (int k = 0; k < x.length; k++) {
                assertEquals(Float.floatToRawIntBits(x[k]), Float.floatToRawIntBits(y[k]), "parameter " + i + " value " + k);
            }
        }
        Conv c = (Conv) b.layers().get(0);
        assertEquals(5, c.kernelHeight());
        assertEquals(3, c.kernelWidth());
        assertEquals(2, c.padding());
        assertEquals(3, ((MaxPool) b.layers().get(5)).size());
        Dataset test = TestData.mnist().test().subset(0, 300);
        assertArrayEquals(m.predict(test, 2), b.predict(test, 2));

        // The architecture is readable JSON.
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals("cnn4j-model", root.get("format").asText());
        assertEquals(1, root.get("version").asInt());
        assertEquals("conv", root.get("layers").get(0).get("type").asText());
        assertEquals(5, root.get("layers").get(0).get("kernel").get(0).asInt());
        assertEquals("tanh", root.get("layers").get(1).get("type").asText());
        assertEquals(32, root.get("layers").get(7).get("units").asInt());
        assertEquals(List.of(6, 4, 3, 3), List.of(root.get("parameters").get(2).get("shape").get(0).asInt(),
                root.get("parameters").get(2).get("shape").get(1).asInt(), root.get("parameters").get(2).get("shape").get(2).asInt(),
                root.get("parameters").get(2).get("shape").get(3).asInt()));
    }

    @Test
    void paperBiasCompatibilityIsKeptAndOnlyWrittenWhenSet(@TempDir Path dir) throws IOException {
        Sequential m = Sequential.of(new Conv(3, 3, 2).meanBiasGradient(true), new ReLU(), new Conv(3, 3, 2), new Flatten(), new Dense(3))
                .input(1, 6, 6).seed(3).build();
        Path f = dir.resolve("m.json");
        NativeModelFormat.write(f, m);
        Sequential back = NativeModelFormat.read(f);
        assertTrue(((Conv) back.layers().get(0)).meanBiasGradient());
        assertTrue(!((Conv) back.layers().get(2)).meanBiasGradient());
        String json = Files.readString(f);
        assertEquals(json.indexOf("meanBiasGradient"), json.lastIndexOf("meanBiasGradient"), "written once, for the first conv only");
        Files.writeString(f, json.replaceFirst("\"meanBiasGradient\"\\s*:\\s*true", "\"meanBiasGradient\": \"yes\""));
        FormatException e = assertThrows(FormatException.class, () -> NativeModelFormat.read(f));
        assertTrue(e.getMessage().contains("meanBiasGradient"), e.getMessage());
    }

    @Test
    void publishedPaperModelSurvivesConversion() throws IOException {
        Sequential paper = PaperFormat.readModel(TestData.authors("models/CNN_F.json")).model();
        Path file = dir.resolve("f.json");
        NativeModelFormat.write(file, paper);
        Sequential back = NativeModelFormat.read(file);
        Dataset test = TestData.mnist().test().subset(0, 1000);
        assertArrayEquals(paper.predict(test, 2), back.predict(test, 2));
    }

    @Test
    void largeModelsStreamTheirWeights() throws IOException {
        // 784 x 20,000 dense weights: a 60 MB base64 string, beyond Jackson's default string limit.
        Sequential big = Sequential.of(new Flatten(), new Dense(20_000), new Dense(10), new Softmax()).input(1, 28, 28).seed(1).build();
        Path file = dir.resolve("big.json");
        NativeModelFormat.write(file, big);
        assertTrue(Files.size(file) > 60_000_000L);
        Sequential back = NativeModelFormat.read(file);
        assertArrayEquals(big.parameters().get(0).value(), back.parameters().get(0).value());
        assertEquals(ModelFileKind.CNN4J_MODEL, ModelFiles.detect(file)); // skips the long strings without buffering them
        JsonLimits small = new JsonLimits(1L << 30, 1_000_000, 64, 100);
        FormatException e = assertThrows(FormatException.class, () -> NativeModelFormat.readWithMetadata(file, small));
        assertTrue(e.getMessage().contains("parameters[0].data: holds more than 1000000 values"), e.getMessage());
    }

    @Test
    void refusesLayersItCannotStore() {
        Layer custom = new Layer() {
            @Override
            public String name() {
                return "Custom()";
            }

            @Override
            public Shape outputShape(Shape input) {
                return input;
            }

            @Override
            public void forward(Tensor in, Tensor out, LayerContext ctx) {
            }

            @Override
            public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
            }
        };
        Sequential m = Sequential.of(new Flatten(), custom, new Dense(10), new Softmax()).input(1, 28, 28).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeModelFormat.write(dir.resolve("x.json"), m));
        assertTrue(e.getMessage().contains("layer Custom()"), e.getMessage());
        Sequential nan = Sequential.of(new Flatten(), new Dense(10), new Softmax()).input(1, 28, 28).build();
        nan.parameters().get(1).value()[3] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> NativeModelFormat.write(dir.resolve("x.json"), nan));
        assertTrue(e.getMessage().contains("layer 1 Dense(10) bias[3] is NaN"), e.getMessage());
        assertEquals(List.of(), TestFiles.list(dir));
    }

    // ----- bad input -----

    private String valid() throws IOException {
        Sequential m = Sequential.of(new Conv(3, 3, 2), new ReLU(), new MaxPool(2), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(5).build();
        Path f = dir.resolve("valid.json");
        NativeModelFormat.write(f, m);
        return Files.readString(f);
    }

    private FormatException error(String from, String to) throws IOException {
        String json = valid();
        assertTrue(json.contains(from), from + " not in " + json.substring(0, 600));
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json.replace(from, to));
        FormatException e = assertThrows(FormatException.class, () -> NativeModelFormat.read(f));
        assertEquals(f, e.file());
        return e;
    }

    @Test
    void rejectsWithClearErrors() throws IOException {
        FormatException e = error("\"version\": 1", "\"version\": 2");
        assertTrue(e.getMessage().endsWith("version 2 is newer than this cnn4j reads (1); upgrade cnn4j"), e.getMessage());
        e = error("\"format\": \"cnn4j-model\"", "\"format\": \"keras\"");
        assertTrue(e.getMessage().endsWith("field 'format': expected \"cnn4j-model\", found \"keras\""), e.getMessage());
        e = error("\"type\": \"relu\"", "\"type\": \"java.lang.Runtime\"");
        assertTrue(e.getMessage().contains("layers[1].type: unknown layer type 'java.lang.Runtime', expected one of [conv, maxpool"),
                e.getMessage());
        e = error("\"padding\": 0", "\"padding\": 0, \"dilation\": 2");
        assertTrue(e.getMessage().contains("layers[0] (conv): unknown option(s) [dilation], expected only [filters, kernel, meanBiasGradient, padding, stride]"),
                e.getMessage());
        e = error("\"filters\": 2", "\"filters\": 3");
        assertTrue(e.getMessage().contains("parameters[0] (layers[0] (conv) weight): expected shape [3, 1, 3, 3], found [2, 1, 3, 3]"),
                e.getMessage());
        e = error("\"shape\": [ 2, 1, 3, 3 ]", "\"shape\": [ 2, 1, 3, 2 ]");
        assertTrue(e.getMessage().contains("expected shape [2, 1, 3, 3], found [2, 1, 3, 2]"), e.getMessage());
        e = error("\"units\": 10", "\"units\": 10, \"activation\": \"relu\"");
        assertTrue(e.getMessage().contains("unknown option(s) [activation]"), e.getMessage());
        e = error("\"size\": 2", "\"size\": 40");
        assertTrue(e.getMessage().contains("layers[2] (maxpool): cannot take input (2, 26, 26)"), e.getMessage());
        e = error("\"layer\": 4", "\"layer\": 3");
        assertTrue(e.getMessage().contains("layers[3] (flatten) has no parameter 'weight'; it has no parameters"), e.getMessage());
        e = error("\"layer\": 4", "\"layer\": 0");
        assertTrue(e.getMessage().contains("layers[0] (conv) parameter 'weight' appears twice"), e.getMessage());
        e = error("\"name\": \"bias\"", "\"name\": \"beta\"");
        assertTrue(e.getMessage().contains("has no parameter 'beta', expected one of [weight, bias]"), e.getMessage());
        e = error("\"encoding\": \"base64-f32le\"", "\"encoding\": \"base64-f64be\"");
        assertTrue(e.getMessage().contains("expected \"base64-f32le\", found \"base64-f64be\""), e.getMessage());
        e = error("\"init\": \"PAPER\"", "\"init\": \"XAVIER\"");
        assertTrue(e.getMessage().contains("field 'init': expected one of [PAPER, MODERN], found \"XAVIER\""), e.getMessage());
        e = error("\"seed\": 5", "\"seed\": 5, \"optimizer\": {}");
        assertTrue(e.getMessage().contains("unknown field(s) [optimizer] in a version 1 file"), e.getMessage());
        e = error("\"type\": \"softmax\"", "\"type\": \"softmax\" }, { \"type\": \"relu\"");
        assertTrue(e.getMessage().contains("Softmax must be the last layer"), e.getMessage());
    }

    @Test
    void rejectsBadWeightData() throws IOException {
        String json = valid();
        int at = json.indexOf("\"data\": \"") + 9;
        String data = json.substring(at, json.indexOf('"', at));
        // One value fewer (4 bytes = a base64 quantum of 6 characters is not aligned; drop 16 chars = 12 bytes = 3 floats).
        FormatException e = error(data, data.substring(16));
        assertTrue(e.getMessage().contains("needs 18 values, the data holds 15"), e.getMessage());
        e = error(data, data.substring(4));
        assertTrue(e.getMessage().contains("expected a multiple of 4"), e.getMessage());
        e = error(data, "!!!!" + data.substring(4));
        assertTrue(e.getMessage().contains("parameters[0].data: invalid base64: Illegal character '!'"), e.getMessage());
        // NaN as the first float: 00 00 c0 7f little-endian = "AADAfw" in base64 (6 chars = 4.5 bytes; use 3 floats = 16 chars).
        byte[] nan = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).putFloat(1).putFloat(2).array();
        String nan64 = java.util.Base64.getEncoder().encodeToString(nan);
        e = error(data, nan64 + data.substring(16));
        assertTrue(e.getMessage().contains("parameters[0].data: value 0 is NaN, expected a finite number"), e.getMessage());
        e = error("\"parameters\": [", "\"parameters\": [ " + "[".repeat(200));
        assertTrue(e.getMessage().contains("JSON exceeds a reader limit") || e.getMessage().contains("expected an object"), e.getMessage());
    }

    @Test
    void looksLikeAPaperModel() throws IOException {
        Path paperModel = PaperFixtures.writeModel(dir.resolve("CNN_T.json"), 3);
        FormatException e = assertThrows(FormatException.class, () -> NativeModelFormat.read(paperModel));
        assertTrue(e.getMessage().contains("this looks like a model in the paper's format"), e.getMessage());
    }
}
