package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.BatchNorm;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The save-load part of the layer contract, for every codec the registry holds (built-in ones and
 * the test-only {@code scale} found through {@code META-INF/services}): a model of that layer with
 * random parameters and state saves and loads with bit-identical values, the same configuration and
 * the same predictions, and saving it again writes the same bytes.
 */
class CodecRoundTripTest {
    /** One or more sample layers per type, with an input shape each. */
    private static Map<String, List<Object[]>> fixtures() {
        Map<String, List<Object[]>> f = new LinkedHashMap<>();
        f.put("conv", List.of(new Object[] {new Conv(3, 3, 2).padding(1).stride(2), Shape.of(2, 5, 5)},
                new Object[] {new Conv(2, 3, 3).meanBiasGradient(true), Shape.of(1, 4, 4)}));
        f.put("maxpool", List.<Object[]>of(new Object[] {new MaxPool(2), Shape.of(2, 4, 5)}));
        f.put("avgpool", List.<Object[]>of(new Object[] {new AvgPool(3), Shape.of(2, 6, 6)}));
        f.put("dense", List.<Object[]>of(new Object[] {new Dense(3), Shape.of(5)}));
        f.put("batchnorm", List.<Object[]>of(new Object[] {new BatchNorm().epsilon(1e-3), Shape.of(2, 3, 3)}));
        f.put("dropout", List.<Object[]>of(new Object[] {new Dropout(0.3), Shape.of(4)}));
        f.put("relu", List.<Object[]>of(new Object[] {new ReLU(), Shape.of(2, 2, 2)}));
        f.put("sigmoid", List.<Object[]>of(new Object[] {new Sigmoid(), Shape.of(3)}));
        f.put("tanh", List.<Object[]>of(new Object[] {new Tanh(), Shape.of(3)}));
        f.put("flatten", List.<Object[]>of(new Object[] {new Flatten(), Shape.of(2, 2, 2)}));
        f.put("softmax", List.<Object[]>of(new Object[] {new Softmax(), Shape.of(4)}));
        f.put("globalavgpool", List.<Object[]>of(new Object[] {new GlobalAvgPool(), Shape.of(2, 3, 3)}));
        f.put("block", List.<Object[]>of(new Object[] {new Block(new Conv(3, 3, 2).padding(1), new BatchNorm(), new ReLU(),
                new Block(new MaxPool(2), new Flatten())), Shape.of(1, 4, 4)}));
        f.put("residual", List.of(
                new Object[] {new Residual(new Block(new Conv(3, 3, 2).padding(1), new BatchNorm())), Shape.of(2, 4, 4)},
                new Object[] {new Residual(new Block(new Conv(3, 3, 3).padding(1).stride(2), new BatchNorm())), Shape.of(2, 5, 5)},
                new Object[] {new Residual(new Dense(3), new Block(new Dense(3), new Tanh())), Shape.of(4)}));
        f.put("scale", List.<Object[]>of(new Object[] {new Scale(0.5), Shape.of(2, 3)}));
        return f;
    }

    @Test
    void everyRegisteredCodecHasAFixture() {
        assertEquals(new TreeSet<>(LayerCodecs.standard().types()), new TreeSet<>(fixtures().keySet()),
                "a registered layer type without a round-trip fixture (or a fixture of an unregistered type)");
    }

    @Test
    void everyLayerTypeSavesAndLoadsBitIdentically(@TempDir Path dir) throws IOException {
        Rng rng = new Rng(42);
        int n = 0;
        for (Map.Entry<String, List<Object[]>> e : fixtures().entrySet()) {
            for (Object[] fx : e.getValue()) {
                String where = e.getKey() + " #" + n++;
                Layer layer = (Layer) fx[0];
                Shape in = (Shape) fx[1];
                Sequential m = Sequential.of(layer).input(in).seed(3).build();
                randomize(m.parameters(), rng, false);
                randomize(m.state(), rng, true);
                Path file = dir.resolve(where.replace(' ', '_').replace("#", "") + ".json");
                NativeModelFormat.write(file, m);
                assertTrue(java.util.regex.Pattern.compile("\"type\"\\s*:\\s*\"" + e.getKey() + "\"").matcher(Files.readString(file)).find(),
                        where + ": type written");
                Sequential back = NativeModelFormat.read(file);
                assertEquals(m.toString(), back.toString(), where + ": configuration");
                assertEquals(m.layers().get(0).getClass(), back.layers().get(0).getClass(), where);
                assertEquals(m.shapes(), back.shapes(), where);
                assertValues(m.parameters(), back.parameters(), where + " parameter");
                assertValues(m.state(), back.state(), where + " state");
                float[] x = new float[in.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (rng.nextDouble() * 2 - 1);
                }
                assertArrayEquals(m.predict(x), back.predict(x), 0f, where + ": predictions");
                Path again = dir.resolve("again.json");
                NativeModelFormat.write(again, back);
                assertEquals(Files.readString(file), Files.readString(again), where + ": saving the loaded model writes the same file");
            }
        }
    }

    private static void randomize(List<Parameter> ps, Rng rng, boolean positive) {
        for (Parameter p : ps) {
            float[] v = p.value();
            for (int i = 0; i < v.length; i++) {
                v[i] = positive ? (float) (0.5 + rng.nextDouble()) : (float) (rng.nextDouble() * 2 - 1);
            }
        }
    }

    private static void assertValues(List<Parameter> a, List<Parameter> b, String where) {
        assertEquals(a.size(), b.size(), where + "s");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).shape(), b.get(i).shape(), where + " " + i);
            assertArrayEquals(a.get(i).value(), b.get(i).value(), 0f, where + " " + i);
            names.add(a.get(i).name());
        }
        assertEquals(names, b.stream().map(Parameter::name).toList(), where + " names");
    }
}
