package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.PaperFixtures;
import io.github.cnn4j.io.TestData;
import io.github.cnn4j.io.TestFiles;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PaperFormatTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"A", "B", "C", "D", "E", "F"})
    void publishedConfigsLoadUnchanged(String letter) throws IOException {
        Path file = TestData.authors("configs/config_" + letter + ".json");
        PaperConfig c = PaperFormat.readConfig(file);
        assertEquals("CNN_" + letter, c.training().outputFilename());
        Sequential m = c.buildModel();
        assertEquals(Shape.of(1, 28, 28), m.inputShape());
        assertEquals(Shape.of(10), m.outputShape());
        assertEquals(c.training().seed(), m.seed());
        // The published model file has the same config.
        PaperModel pm = PaperFormat.readModel(TestData.authors("models/CNN_" + letter + ".json"));
        assertEquals(c, pm.config());
        assertEquals(m.shapes(), pm.model().shapes());
        // Written and read back: equal.
        Path out = dir.resolve("config.json");
        PaperFormat.writeConfig(out, c);
        assertEquals(c, PaperFormat.readConfig(out));
    }

    @Test
    void configFBuildsThePaperArchitecture() throws IOException {
        PaperConfig c = PaperFormat.readConfig(TestData.authors("configs/config_F.json"));
        assertEquals(new TrainingSettings(98524352, 0.01, 1000, "CNN_F"), c.training());
        assertEquals(List.of(new PaperConvLayer(8, 3, 1, 3), new PaperConvLayer(8, 3, 1, 2)), c.convolutionalLayers());
        assertEquals(List.of(20), c.hiddenLayers());
        Sequential m = c.buildModel();
        assertEquals("Sequential[Conv(3x3, 8 filters, padding 1), ReLU(), MaxPool(3x3), Conv(3x3, 8 filters, padding 1), ReLU(), "
                + "MaxPool(2x2), Flatten(), Dense(20), Sigmoid(), Dense(10), Softmax()]", m.toString());
        assertEquals(List.of(Shape.of(1, 28, 28), Shape.of(8, 28, 28), Shape.of(8, 28, 28), Shape.of(8, 9, 9), Shape.of(8, 9, 9),
                Shape.of(8, 9, 9), Shape.of(8, 4, 4), Shape.of(128), Shape.of(20), Shape.of(20), Shape.of(10), Shape.of(10)), m.shapes());
        // Config A has an empty fully_connected_layers.
        assertEquals(List.of(), PaperFormat.readConfig(TestData.authors("configs/config_A.json")).hiddenLayers());
    }

    @Test
    void roundTripKeepsWeightsAndPredictionsAndWritesTheirLayout() throws IOException {
        Sequential model = Sequential.of(new Conv(3, 3, 4).padding(1), new ReLU(), new MaxPool(2),
                new Conv(5, 5, 3), new ReLU(), new MaxPool(2),
                new Flatten(), new Dense(12), new Sigmoid(), new Dense(10), new Softmax()).input(1, 28, 28).seed(77).build();
        TrainingSettings ts = new TrainingSettings(77, 0.02, 5, "CNN_X");
        Path file = dir.resolve("CNN_X.json");
        PaperFormat.writeModel(file, model, ts, 3);

        PaperModel back = PaperFormat.readModel(file);
        assertEquals(3, back.trainedEpochs());
        assertEquals(ts, back.config().training());
        List<Parameter> a = model.parameters();
        List<Parameter> b = back.model().parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).shape(), b.get(i).shape());
            assertArrayEquals(a.get(i).value(), b.get(i).value(), "parameter " + i);
        }
        Dataset test = TestData.mnist().test().subset(0, 500);
        assertArrayEquals(model.predict(test, 2), back.model().predict(test, 2));

        // Their layout: conv weights [kernel][input_channel][row][col], dense weights [input][node].
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals(List.of("seed", "learning_rate", "epochs", "output_filename", "convolutional_layers", "fully_connected_layers",
                "trained_epochs", "output_layer"), iterable(root.fieldNames()));
        Conv conv2 = (Conv) model.layers().get(3);
        JsonNode w = root.get("convolutional_layers").get(1).get("weights");
        assertEquals(3, w.size());
        assertEquals(4, w.get(0).size());
        assertEquals(5, w.get(0).get(0).size());
        float[] cw = conv2.weight().value();
        assertEquals(cw[((2 * 4 + 3) * 5 + 1) * 5 + 4], w.get(2).get(3).get(1).get(4).floatValue());
        assertEquals(5, root.get("convolutional_layers").get(1).get("kernel_dim").asInt());
        Dense hidden = (Dense) model.layers().get(7);
        JsonNode hw = root.get("fully_connected_layers").get(0).get("weights");
        assertEquals(3 * 5 * 5, hw.size());
        assertEquals(12, hw.get(0).size());
        assertEquals(hidden.weight().value()[70 * 12 + 11], hw.get(70).get(11).floatValue());
        assertEquals(12, root.get("output_layer").get("weights").size());
        assertEquals(10, root.get("output_layer").get("weights").get(0).size());
        assertEquals(10, root.get("output_layer").get("biases").size());
    }

    @Test
    void publishedModelWrittenBackIsIdentical() throws IOException {
        PaperModel pm = PaperFormat.readModel(TestData.authors("models/CNN_C.json"));
        Path out = dir.resolve("CNN_C.json");
        PaperFormat.writeModel(out, pm);
        PaperModel back = PaperFormat.readModel(out);
        assertEquals(pm.config(), back.config());
        for (int i = 0; i < pm.model().parameters().size(); i++) {
            assertArrayEquals(pm.model().parameters().get(i).value(), back.model().parameters().get(i).value());
        }
    }

    @Test
    void refusesModelsTheFormatCannotHold() {
        Sequential tanh = Sequential.of(new Conv(3, 3, 2), new Tanh(), new MaxPool(2), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaperFormat.writeModel(dir.resolve("x.json"), tanh, new TrainingSettings(1, 0.1, 1, "x"), 1));
        assertTrue(e.getMessage().contains("layer 1 is Tanh()"), e.getMessage());
        Sequential eleven = Sequential.of(new Conv(3, 3, 2), new ReLU(), new MaxPool(2), new Flatten(), new Dense(11), new Softmax())
                .input(1, 28, 28).build();
        assertThrows(IllegalArgumentException.class, () -> PaperFormat.writeModel(dir.resolve("x.json"), eleven,
                new TrainingSettings(1, 0.1, 1, "x"), 1));
        assertEquals(List.of(), TestFiles.list(dir));
    }

    // ----- bad input -----

    private static final String CONFIG = """
            {"seed": 1, "learning_rate": 0.01, "epochs": 3, "output_filename": "CNN_T",
             "convolutional_layers": [{"kernel_count": 2, "kernel_dim": 3, "padding": 0, "pooling_dim": 2}],
             "fully_connected_layers": []}""";

    private FormatException configError(String json) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, json);
        return assertThrows(FormatException.class, () -> PaperFormat.readConfig(f));
    }

    @Test
    void configErrorsNameTheFieldAndFile() throws IOException {
        FormatException e = configError(CONFIG.replace("\"seed\": 1, ", ""));
        assertEquals(dir.resolve("config.json") + ": field 'seed' is missing", e.getMessage());
        e = configError(CONFIG.replace("\"kernel_dim\": 3", "\"kernel_dim\": \"3\""));
        assertTrue(e.getMessage().contains("convolutional_layers[0].kernel_dim: expected an integer between 1 and 4096, found the string \"3\"")
                || e.getMessage().contains("convolutional_layers[0].kernel_dim: expected an integer, found the string \"3\""), e.getMessage());
        e = configError(CONFIG.replace("\"padding\": 0, ", ""));
        assertTrue(e.getMessage().endsWith("field 'convolutional_layers[0].padding' is missing"), e.getMessage());
        e = configError(CONFIG.replace("\"learning_rate\": 0.01", "\"learning_rate\": -1"));
        assertTrue(e.getMessage().contains("learning_rate: expected a finite number > 0, found -1"), e.getMessage());
        e = configError(CONFIG.replace("\"epochs\": 3", "\"epochs\": 2.5"));
        assertTrue(e.getMessage().contains("epochs: expected an integer, found 2.5"), e.getMessage());
        e = configError(CONFIG.replace("\"kernel_dim\": 3", "\"kernel_dim\": 40"));
        assertTrue(e.getMessage().contains("convolutional_layers[0]: kernel_dim 40 does not fit its input of 28 x 28"), e.getMessage());
        e = configError(CONFIG.replace("\"pooling_dim\": 2", "\"pooling_dim\": 27"));
        assertTrue(e.getMessage().contains("pooling_dim 27 is larger than the convolution's output of 26 x 26"), e.getMessage());
        e = configError(CONFIG.replace("[{\"kernel_count\": 2, \"kernel_dim\": 3, \"padding\": 0, \"pooling_dim\": 2}]", "[]"));
        assertTrue(e.getMessage().contains("expected at least one layer, found an empty array"), e.getMessage());
        e = configError(CONFIG.replace("\"fully_connected_layers\": []", "\"fully_connected_layers\": [{\"nodes\": 3}]"));
        assertTrue(e.getMessage().endsWith("field 'fully_connected_layers[0].node_count' is missing"), e.getMessage());
        e = configError(CONFIG.substring(0, 60));
        assertTrue(e.getMessage().contains("malformed JSON at line"), e.getMessage());
        e = configError(CONFIG + " {}");
        assertTrue(e.getMessage().contains("expected the end of the file after the top-level object"), e.getMessage());
        e = configError("[1, 2]");
        assertTrue(e.getMessage().contains("expected an object, found an array"), e.getMessage());
        e = configError(CONFIG.replace("\"seed\": 1,", "\"seed\": 1, \"seed\": 2,"));
        assertTrue(e.getMessage().contains("Duplicate field 'seed'"), e.getMessage());
        e = configError("{\"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        assertTrue(e.getMessage().contains("JSON exceeds a reader limit"), e.getMessage());
        e = configError(CONFIG.replace("\"kernel_count\": 2", "\"kernel_count\": 4000").replace("\"fully_connected_layers\": []",
                "\"fully_connected_layers\": [{\"node_count\": 16000000}]"));
        assertTrue(e.getMessage().contains("parameters, more than the limit of"), e.getMessage());
    }

    private FormatException modelError(String from, String to) throws IOException {
        String json = Files.readString(PaperFixtures.writeModel(dir.resolve("fixture.json"), 6));
        assertTrue(json.contains(from), from);
        Path f = dir.resolve("model.json");
        Files.writeString(f, json.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        return assertThrows(FormatException.class, () -> PaperFormat.readModel(f));
    }

    @Test
    void modelErrorsNameLayerFieldAndShapes() throws IOException {
        FormatException e = modelError("\"kernel_count\": 8", "\"kernel_count\": 7");
        assertTrue(e.getMessage().endsWith("convolutional_layers[0].weights: expected shape [7, 1, 3, 3] (kernel, input channel, row, column), "
                + "found [8, 1, 3, 3]"), e.getMessage());
        e = modelError("\"trained_epochs\": 6,", "");
        assertTrue(e.getMessage().endsWith("field 'trained_epochs' is missing"), e.getMessage());
        String json = Files.readString(PaperFixtures.writeModel(dir.resolve("fixture.json"), 6));
        String firstWeight = json.substring(json.indexOf("\"weights\""), json.indexOf("]", json.indexOf("\"weights\"")) + 1);
        String firstNumber = firstWeight.replaceAll("(?s).*\\[\\s*", "").replaceAll("(?s)[,\\s\\]].*", "");
        e = modelError(firstNumber, "NaN");
        assertTrue(e.getMessage().contains("convolutional_layers[0].weights[0][0][0][0]: expected a finite number (as a 32-bit float), found NaN"),
                e.getMessage());
        e = modelError(firstNumber, "\"0.5\"");
        assertTrue(e.getMessage().contains("convolutional_layers[0].weights[0][0][0][0]: expected a number or an array, found the string \"0.5\""),
                e.getMessage());
        e = modelError(firstNumber, "1e39");
        assertTrue(e.getMessage().contains("expected a finite number (as a 32-bit float), found 1e39"), e.getMessage());
        e = modelError(firstNumber + ",", "");
        assertTrue(e.getMessage().contains("convolutional_layers[0].weights[0][0][1]: ragged array: has 3 elements where the first array at "
                + "this depth has 2"), e.getMessage());
        e = modelError("\"output_layer\": {", "\"output_layer\": {\"biases\": [1],");
        assertTrue(e.getMessage().contains("Duplicate field 'biases'"), e.getMessage());
        e = modelError("\"trained_epochs\": 6,", "\"trained_epochs\": 6");
        assertTrue(e.getMessage().contains("malformed JSON at line"), e.getMessage());
        assertTrue(!e.getMessage().contains("Source"), e.getMessage());
    }

    @Test
    void enormousArraysAreRejectedByTheLimits() throws IOException {
        StringBuilder sb = new StringBuilder("{\"weights\": [");
        for (int i = 0; i < 200_000; i++) {
            sb.append(i == 0 ? "0" : ",0");
        }
        sb.append("]}");
        Path f = dir.resolve("huge.json");
        Files.writeString(f, CONFIG.replace("\"fully_connected_layers\": []", "\"fully_connected_layers\": [" + sb + "]"));
        JsonLimits small = new JsonLimits(1 << 30, 100_000, 64, 100);
        FormatException e = assertThrows(FormatException.class, () -> PaperFormat.readModel(f, small));
        assertTrue(e.getMessage().contains("fully_connected_layers[0].weights: holds more than"), e.getMessage());
        JsonLimits tiny = new JsonLimits(1000, 100_000, 64, 100);
        e = assertThrows(FormatException.class, () -> PaperFormat.readModel(f, tiny));
        assertTrue(e.getMessage().contains("more than the limit of 1000"), e.getMessage());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
