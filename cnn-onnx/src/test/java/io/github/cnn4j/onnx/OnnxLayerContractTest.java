package io.github.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.CompositeLayer;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.GlobalAvgPool;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ONNX part of the layer contract, for every layer type with an ONNX codec (built-in, composite
 * and the test-only {@link Gain}): a small model around the layer, with random parameters and
 * state, runs in ONNX Runtime as in cnn4j (within 1e-5), and imports back to the same layers with
 * bit-identical outputs. {@link #everyCodecIsCovered()} fails when a codec is added without a case here.
 */
class OnnxLayerContractTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("Conv", Shape.of(2, 7, 7), List.of(new Conv(3, 2, 3).padding(1).stride(2))),
                Arguments.of("MaxPool", Shape.of(2, 7, 7), List.of(new MaxPool(3))),
                Arguments.of("AvgPool", Shape.of(2, 8, 8), List.of(new AvgPool(2))),
                Arguments.of("GlobalAvgPool", Shape.of(3, 5, 4), List.of(new GlobalAvgPool())),
                Arguments.of("Dense", Shape.of(12), List.of(new Dense(5))),
                Arguments.of("BatchNorm image", Shape.of(3, 4, 4), List.of(new BatchNorm().epsilon(1e-3))),
                Arguments.of("BatchNorm vector", Shape.of(6), List.of(new BatchNorm())),
                Arguments.of("Dropout", Shape.of(2, 3, 3), List.of(new Dropout(0.4))),
                Arguments.of("ReLU", Shape.of(2, 3, 3), List.of(new ReLU())),
                Arguments.of("Sigmoid", Shape.of(5), List.of(new Sigmoid())),
                Arguments.of("Tanh", Shape.of(4, 2), List.of(new Tanh())),
                Arguments.of("Flatten", Shape.of(2, 3, 3), List.of(new Flatten(), new Dense(3))),
                Arguments.of("Softmax", Shape.of(7), List.of(new Dense(4), new Softmax())),
                Arguments.of("Block", Shape.of(2, 6, 6), List.of(new Block(new Conv(3, 3, 2).padding(1), new Tanh()), new ReLU())),
                Arguments.of("Residual identity", Shape.of(2, 6, 6), List.of(new Residual(new Block(new Conv(3, 3, 2).padding(1),
                        new BatchNorm())))),
                Arguments.of("Residual projection", Shape.of(2, 6, 6), List.of(new Residual(new Conv(3, 3, 4).padding(1).stride(2)))),
                Arguments.of("Residual explicit", Shape.of(2, 6, 6), List.of(new Residual(new Conv(3, 3, 4).padding(1),
                        new Block(new Conv(1, 1, 4), new BatchNorm())))),
                Arguments.of("Gain (user-defined)", Shape.of(3, 2, 2), List.of(new Gain())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportsRunsInOnnxRuntimeAndImportsBack(String name, Shape input, List<Layer> layers) throws Exception {
        Sequential model = Sequential.of(layers).input(input).seed(name.hashCode()).init(InitPreset.MODERN).build();
        randomize(model, name.hashCode());
        int n = 5;
        float[] x = Graphs.random(name.length(), n * input.size());
        float[] expected = Graphs.predict(model, x, n);
        byte[] bytes = OnnxExporter.toBytes(model);
        long[] shape = new long[input.rank() + 1];
        shape[0] = n;
        for (int i = 0; i < input.rank(); i++) {
            shape[i + 1] = input.dim(i);
        }
        double max = OnnxImporterTest.maxAbsDiff(expected, Graphs.ort(bytes, x, shape));
        assertTrue(max <= 1e-5, name + ": cnn4j vs ONNX Runtime " + max);
        Sequential back = OnnxImporter.fromBytes(bytes);
        assertEquals(OnnxImporterTest.flatNames(model), OnnxImporterTest.names(back), name);
        assertArrayEquals(expected, Graphs.predict(back, x, n), 0f, name + ": identical outputs after import");
    }

    @Test
    void everyCodecIsCovered() {
        Set<Class<?>> covered = new HashSet<>();
        cases().forEach(a -> {
            @SuppressWarnings("unchecked")
            List<Layer> ls = (List<Layer>) a.get()[2];
            ls.forEach(l -> collect(l, covered));
        });
        for (OnnxCodec<?> c : OnnxCodecs.standard().codecs()) {
            assertTrue(covered.contains(c.layerClass()), "no ONNX contract case for " + c.layerClass().getName());
        }
    }

    private static void collect(Layer l, Set<Class<?>> into) {
        into.add(l.getClass());
        if (l instanceof CompositeLayer c) {
            c.children().forEach(k -> collect(k, into));
        }
    }

    /** Non-trivial parameters (biases, gammas) and batch-norm statistics. */
    static void randomize(Sequential m, long seed) {
        Rng r = new Rng(seed);
        for (Parameter p : m.parameters()) {
            for (int i = 0; i < p.size(); i++) {
                p.value()[i] += (float) (0.2 * (r.nextDouble() - 0.5));
            }
        }
        for (Parameter p : m.state()) {
            boolean variance = p.name().contains("var");
            for (int i = 0; i < p.size(); i++) {
                p.value()[i] = variance ? (float) (0.5 + r.nextDouble()) : (float) (r.nextDouble() - 0.5);
            }
        }
    }
}
