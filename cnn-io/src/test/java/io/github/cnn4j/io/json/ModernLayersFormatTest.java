package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.TestData;
import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.random.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native format with strided conv, average pooling, batch normalization and dropout. */
class ModernLayersFormatTest {
    @TempDir
    Path dir;

    /** Every new layer and option, with non-trivial batch-norm parameters and running statistics. */
    static Sequential modernModel() {
        Sequential m = Sequential.of(
                        new Conv(5, 5, 6).padding(2), new BatchNorm(), new ReLU(), new MaxPool(2),
                        new Conv(3, 3, 8).stride(2), new BatchNorm().epsilon(1e-3), new ReLU(), new AvgPool(2),
                        new Flatten(), new Dense(24), new BatchNorm(), new ReLU(), new Dropout(0.25), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(77).init(InitPreset.MODERN).build();
        Rng rng = new Rng(3);
        for (Parameter p : all(m)) {
            if (!p.name().equals("weight")) {
                float[] v = p.value();
                for (int i = 0; i < v.length; i++) {
                    v[i] = p.name().equals("running_var") || p.name().equals("gamma") ? 0.5f + rng.nextFloat() : rng.nextFloat() - 0.5f;
                }
            }
        }
        return m;
    }

    static List<Parameter> all(Sequential m) {
        List<Parameter> all = new ArrayList<>(m.parameters());
        all.addAll(m.state());
        return all;
    }

    @Test
    void roundTripIsExactIncludingRunningStatistics() throws IOException {
        Sequential m = modernModel();
        Path file = dir.resolve("modern.json");
        NativeModelFormat.write(file, m, Map.of("note", "modern"));
        Sequential b = NativeModelFormat.read(file);
        assertEquals(m.toString(), b.toString());
        assertEquals(m.shapes(), b.shapes());
        List<Parameter> x = all(m);
        List<Parameter> y = all(b);
        assertEquals(x.size(), y.size());
        assertEquals(6, b.state().size());
        for (int i = 0; i < x.size(); i++) {
            assertEquals(x.get(i).name(), y.get(i).name());
            assertArrayEquals(x.get(i).value(), y.get(i).value(), 0f, x.get(i).name() + " " + i);
        }
        assertEquals(2, ((Conv) b.layers().get(4)).stride());
        assertEquals(1e-3, ((BatchNorm) b.layers().get(5)).epsilon());
        assertEquals(0.25, ((Dropout) b.layers().get(12)).rate());
        assertEquals(2, ((AvgPool) b.layers().get(7)).size());
        Dataset test = TestData.mnist().test().subset(0, 300);
        assertArrayEquals(m.predict(test, 2), b.predict(test, 2));

        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode layers = root.get("layers");
        assertEquals(2, layers.get(4).get("stride").asInt());
        assertFalse(layers.get(0).has("stride"), "stride 1 is not written, so older readers still read the file");
        assertEquals("batchnorm", layers.get(1).get("type").asText());
        assertEquals(1e-5, layers.get(1).get("epsilon").asDouble());
        assertEquals("avgpool", layers.get(7).get("type").asText());
        assertEquals("dropout", layers.get(12).get("type").asText());
        List<String> bnArrays = new ArrayList<>();
        for (JsonNode p : root.get("parameters")) {
            if (p.get("layer").asInt() == 1) {
                bnArrays.add(p.get("name").asText() + p.get("shape"));
            }
        }
        assertEquals(List.of("gamma[6]", "beta[6]", "running_mean[6]", "running_var[6]"), bnArrays);
    }

    @Test
    void anArchitectureWithoutParametersIsInitializedFromItsSeed() throws IOException {
        Path file = dir.resolve("arch.json");
        Files.writeString(file, """
                {
                  "format": "cnn4j-model", "version": 1,
                  "metadata": { "train.epochs": "3" },
                  "input": [1, 28, 28], "seed": 77, "init": "MODERN",
                  "layers": [
                    { "type": "conv", "kernel": [5, 5], "filters": 6, "padding": 2 }, { "type": "batchnorm" }, { "type": "relu" },
                    { "type": "maxpool", "size": 2 },
                    { "type": "conv", "kernel": [3, 3], "filters": 8, "padding": 0, "stride": 2 }, { "type": "batchnorm", "epsilon": 0.001 },
                    { "type": "relu" }, { "type": "avgpool", "size": 2 }, { "type": "flatten" }, { "type": "dense", "units": 24 },
                    { "type": "batchnorm" }, { "type": "relu" }, { "type": "dropout", "rate": 0.25 }, { "type": "dense", "units": 10 },
                    { "type": "softmax" }
                  ]
                }
                """);
        NativeModel arch = NativeModelFormat.readArchitecture(file);
        assertEquals(Map.of("train.epochs", "3"), arch.metadata());
        Sequential fresh = Sequential.of(
                        new Conv(5, 5, 6).padding(2), new BatchNorm(), new ReLU(), new MaxPool(2),
                        new Conv(3, 3, 8).stride(2), new BatchNorm().epsilon(1e-3), new ReLU(), new AvgPool(2),
                        new Flatten(), new Dense(24), new BatchNorm(), new ReLU(), new Dropout(0.25), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(77).init(InitPreset.MODERN).build();
        assertEquals(fresh.toString(), arch.model().toString());
        for (int i = 0; i < fresh.parameters().size(); i++) {
            assertArrayEquals(fresh.parameters().get(i).value(), arch.model().parameters().get(i).value(), 0f);
        }
        FormatException e = assertThrows(FormatException.class, () -> NativeModelFormat.read(file));
        assertTrue(e.getMessage().contains("field 'parameters' is missing") && e.getMessage().contains("readArchitecture"), e.getMessage());
        // A file with weights reads the same through either method.
        Path full = dir.resolve("full.json");
        Sequential m = modernModel();
        NativeModelFormat.write(full, m);
        assertArrayEquals(m.state().get(1).value(), NativeModelFormat.readArchitecture(full).model().state().get(1).value(), 0f);
    }

    @Test
    void rejectsBadOptionsAndMissingState() throws IOException {
        Sequential m = Sequential.of(new Conv(3, 3, 2).stride(2), new BatchNorm(), new ReLU(), new Flatten(), new Dropout(0.5),
                new Dense(10), new Softmax()).input(1, 28, 28).seed(5).build();
        Path f = dir.resolve("valid.json");
        NativeModelFormat.write(f, m);
        String json = Files.readString(f);
        assertTrue(json.contains("\"rate\": 0.5") && json.contains("\"stride\": 2") && json.contains("\"epsilon\": 1.0E-5"), json);
        assertError(json, "\"rate\": 0.5", "\"rate\": 1.5", "layers[4].rate: expected a number in [0, 1), found 1.5");
        assertError(json, "\"rate\": 0.5", "\"rate\": \"half\"", "layers[4].rate: expected a number, found the string \"half\"");
        assertError(json, "\"rate\": 0.5", "\"rate\": 0.5, \"p\": 0.5", "layers[4] (dropout): unknown option(s) [p], expected only [rate]");
        assertError(json, "\"stride\": 2", "\"stride\": 0", "layers[0].stride: expected an integer between 1 and");
        assertError(json, "\"epsilon\": 1.0E-5", "\"epsilon\": -1", "layers[1].epsilon: expected a number in (0, 1], found -1.0");
        assertError(json, "\"name\": \"running_var\"", "\"name\": \"running_variance\"",
                "has no parameter 'running_variance', expected one of [gamma, beta, running_mean, running_var]");
        // Dropping the running variance's entry: every stored array is required.
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(json);
        ArrayNode params = (ArrayNode) root.get("parameters");
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).get("name").asText().equals("running_var")) {
                params.remove(i);
                break;
            }
        }
        Path bad = dir.resolve("bad.json");
        mapper.writeValue(bad.toFile(), root);
        FormatException e = assertThrows(FormatException.class, () -> NativeModelFormat.read(bad));
        assertTrue(e.getMessage().contains("layers[1] (batchnorm): parameter 'running_var' [2] is missing from 'parameters'"), e.getMessage());
    }

    private void assertError(String json, String from, String to, String expected) throws IOException {
        assertTrue(json.contains(from), from);
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json.replace(from, to));
        FormatException e = assertThrows(FormatException.class, () -> NativeModelFormat.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void nonFiniteRunningStatisticsAreNotWritten() {
        Sequential m = Sequential.of(new Flatten(), new Dense(4), new BatchNorm(), new Dense(10), new Softmax()).input(1, 28, 28).build();
        m.state().get(1).value()[2] = Float.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeModelFormat.write(dir.resolve("x.json"), m));
        assertTrue(e.getMessage().contains("layer 2 BatchNorm() running_var[2] is Infinity"), e.getMessage());
    }
}
