package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.examples.cli.CliTest.Result;
import io.github.cnn4j.examples.paper.Reproduction;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.kernel.Vectorization;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnn4j bench} on named and file models, and its per-layer profile (no timing assertions: the figures depend on the machine). */
class BenchCommandTest {
    private static Path mnist;

    @BeforeAll
    static void fetchMnist() throws IOException {
        mnist = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
    }

    @Test
    void namedAndFileModelsRunWithAProfileOfEveryLayer(@TempDir Path dir) throws IOException {
        // an architecture file with weights, written by the library
        Sequential small = Sequential.of(new Conv(3, 3, 4).stride(2), new BatchNorm(), new ReLU(), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(3).build();
        Path file = dir.resolve("small.json");
        NativeModelFormat.write(file, small);

        Result js = CliTest.run("bench", "--models", "modern", "--model", file.toString(), "--only", "mb64,profile", "--threads", "2",
                "--runs", "1", "--seconds", "0.02", "--warmup", "0", "--json", "--limit", "300", "--data", mnist.toString());
        assertEquals(0, js.code(), js.err());
        String out = js.out();
        assertTrue(out.startsWith("{") && out.strip().endsWith("}"), out);
        assertFalse(out.contains("NaN") || out.contains("Infinity"), "not JSON numbers: " + out);
        assertEquals(2, count(out, "\"model\": \"MODERN\", \"kind\": \"train\""), out);
        assertEquals(2, count(out, "\"model\": \"small\", \"kind\": \"train\""), out);
        // a profile per model, with a row per layer (the final softmax goes to the rest of the step)
        assertEquals(2, count(out, "\"trainMicrosPerSample\": "), out);
        assertEquals(14 + 5, count(out, "\"index\": "), "MODERN has 14 profiled layers, small 5: " + out);
        String set = Vectorization.enabled() ? "vector" : "scalar";
        assertTrue(out.contains("\"layer\": \"Conv(3x3, 4 filters, stride 2)\", \"type\": \"Conv\", \"kernels\": \"StridedConvKernels, " + set + "\""),
                out);
        assertTrue(out.contains("\"type\": \"BatchNorm\", \"kernels\": \"BatchNormKernels, "), out);
        // every profiled time is a number: a row per layer and per layer type (MODERN 7 types, small 5)
        Matcher m = Pattern.compile("\"trainBackwardMicros\": [0-9]+\\.[0-9]{3}").matcher(out);
        int found = 0;
        while (m.find()) {
            found++;
        }
        assertEquals(14 + 5 + 7 + 5, found, out);
    }

    @Test
    void markdownNamesTheLayersAndTheRestOfTheStep() {
        Result md = CliTest.run("bench", "--models", "B", "--only", "profile", "--runs", "1", "--seconds", "0.02", "--warmup", "0",
                "--limit", "300", "--data", mnist.toString());
        assertEquals(0, md.code(), md.err());
        assertTrue(md.out().contains("Profile of B: "), md.out());
        assertTrue(md.out().contains("| 0 | Conv(5x5, 6 filters) | ConvKernels, "), md.out());
        assertTrue(md.out().contains("| | rest of the step (softmax and loss"), md.out());
        assertTrue(md.out().contains("By layer type:"), md.out());
        assertTrue(md.out().lines().anyMatch(l -> l.startsWith("| MaxPool | MaxPoolKernels, ")), md.out());
    }

    @Test
    void modelsThatDoNotFitTheDataAndUnknownPresetsAreClearErrors(@TempDir Path dir) throws IOException {
        Sequential colour = Sequential.of(new Flatten(), new Dense(10), new Softmax()).input(3, 8, 8).seed(1).build();
        Path file = dir.resolve("colour.json");
        NativeModelFormat.write(file, colour);
        Result bad = CliTest.run("bench", "--model", file.toString(), "--data", mnist.toString(), "--limit", "100");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("model colour takes input (3, 8, 8)"), bad.err());

        Result missing = CliTest.run("bench", "--model", dir.resolve("nope.json").toString(), "--data", mnist.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.json"), missing.err());

        Result unknown = CliTest.run("bench", "--models", "B,XL", "--data", mnist.toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown model 'XL'") && unknown.err().contains("MODERN"), unknown.err());

        if (Reproduction.class.getResource("resnet.json") == null) {
            Result resnet = CliTest.run("bench", "--models", "RESNET", "--data", mnist.toString(), "--limit", "100");
            assertEquals(1, resnet.code());
            assertTrue(resnet.err().contains("RESNET is not packaged"), resnet.err());
        }
    }

    @Test
    void theProfiledModelSharesTheParametersAndComputesTheSame() {
        Sequential model = Sequential.of(new Conv(5, 5, 4), new BatchNorm(), new ReLU(), new Flatten(), new Dense(10), new Softmax())
                .input(1, 12, 12).seed(9).build();
        List<ProfiledLayer> probes = new ArrayList<>();
        Sequential p = ProfiledLayer.wrap(model, probes);
        assertEquals(model.parameters(), p.parameters());
        assertEquals(model.layers().size(), probes.size());
        assertTrue(probes.get(probes.size() - 1) == null, "the softmax stays itself");
        float[] x = new float[144];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        assertEquals(java.util.Arrays.toString(model.predict(x)), java.util.Arrays.toString(p.predict(x)));
        assertTrue(probes.get(0).forwardSamples() == 1 && probes.get(0).forwardNanos() > 0, probes.get(0).name());
    }

    @Test
    void theProfileOpensResidualsAndBlocksWithoutChangingWhatTheModelComputes() {
        Sequential model = Sequential.of(new Conv(3, 3, 4).padding(1), new Residual(new Block(new Conv(3, 3, 8).padding(1).stride(2), new ReLU())),
                new Residual(new Block(new Conv(3, 3, 8).padding(1), new BatchNorm())), new Flatten(), new Dense(10), new Softmax())
                .input(1, 8, 8).seed(3).build();
        List<ProfiledLayer> probes = new ArrayList<>();
        List<ProfiledLayer.Inner> inner = new ArrayList<>();
        Sequential p = ProfiledLayer.wrap(model, probes, inner);
        assertEquals(model.parameters(), p.parameters(), "the same parameter objects, projection included");
        // layer 1: its block (1.0) with two children and the automatic projection (1.1); layer 2: block and two children
        assertEquals(List.of("1.0", "1.0.0", "1.0.1", "1.1", "2.0", "2.0.0", "2.0.1"), inner.stream().map(ProfiledLayer.Inner::path).toList());
        assertEquals(Shape.of(4, 8, 8), inner.get(1).input());
        assertEquals(Shape.of(8, 4, 4), inner.get(2).input());
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(0.3 * i);
        }
        assertEquals(java.util.Arrays.toString(model.predict(x)), java.util.Arrays.toString(p.predict(x)));
        for (ProfiledLayer.Inner q : inner) {
            assertTrue(q.probe().forwardSamples() == 1 && q.probe().forwardNanos() > 0, q.path());
        }
        assertTrue(inner.get(3).probe().inner() instanceof Conv c && c.stride() == 2, "the projection is the model's own 1x1 strided conv");
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }
}
