package io.github.cnn4j.io.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer defined only in the tests ({@link Scale}), whose codec is found through
 * {@code META-INF/services}, saves and loads like a built-in one, at the top level and nested in a
 * block; what its codec does not read is rejected like for built-in layers.
 */
class UserLayerCodecTest {

    private static Sequential model() {
        return Sequential.of(new Conv(3, 3, 2).padding(1), new Scale(0.25), new ReLU(),
                        new Block(new Scale(-0.5), new Flatten()), new Dense(3), new Softmax())
                .input(1, 4, 4).seed(9).build();
    }

    @Test
    void theServiceLoaderFindsTheCodec() {
        LayerCodecs codecs = LayerCodecs.standard();
        assertTrue(codecs.types().contains("scale"), codecs.types().toString());
        assertEquals(ScaleCodec.class, codecs.forLayer(new Scale(1)).getClass());
        assertEquals(ScaleCodec.class, codecs.forType("scale").getClass());
    }

    @Test
    void aUserLayerSavesAndLoadsWithItsParameters(@TempDir Path dir) throws IOException {
        Sequential m = model();
        float[] gain = m.layers().get(1).parameters().get(0).value();
        gain[0] = 1.5f;
        gain[1] = -0.75f;
        m.layers().get(3).parameters().get(0).value()[1] = 3f;
        Path file = dir.resolve("user.json");
        NativeModelFormat.write(file, m);
        String json = Files.readString(file);
        assertTrue(json.contains("\"scale\""), json);
        assertTrue(json.contains("\"0.gain\""), "the nested layer's array is named by its position in the block: " + json);
        Sequential back = NativeModelFormat.read(file);
        assertEquals(Scale.class, back.layers().get(1).getClass());
        assertEquals(0.25, ((Scale) back.layers().get(1)).offset());
        assertEquals(-0.5, ((Scale) ((Block) back.layers().get(3)).layers().get(0)).offset());
        for (int i = 0; i < m.parameters().size(); i++) {
            assertArrayEquals(m.parameters().get(i).value(), back.parameters().get(i).value(), 0f, "parameter " + i);
        }
        float[] x = new float[16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) / 7f;
        }
        assertArrayEquals(m.predict(x), back.predict(x), 0f);
    }

    @Test
    void theUserLayerComputesWhatItSays() {
        // so that the round trip above compares something: y = gain * x + offset, per channel
        Scale s = (Scale) new Scale(1).build(Shape.of(2, 1), null);
        s.parameters().get(0).set(new float[] {2, 3});
        Tensor in = new Tensor(Shape.of(2, 1), 1).batch(1);
        in.data()[0] = 1;
        in.data()[1] = 1;
        Tensor out = new Tensor(Shape.of(2, 1), 1).batch(1);
        s.forward(in, out, new LayerContext(s.parameters()));
        assertArrayEquals(new float[] {3, 4}, out.data(), 0f);
    }

    @Test
    void unknownFieldsOfAUserLayerAreRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("user.json");
        NativeModelFormat.write(file, model());
        String bad = Files.readString(file).replaceFirst("\"offset\" ?: ?0\\.25", "\"offset\" : 0.25, \"bias\" : 1");
        Files.writeString(file, bad);
        FormatException e = assertThrows(FormatException.class, () -> NativeModelFormat.read(file));
        assertTrue(e.getMessage().contains("layers[1] (scale): unknown option(s) [bias], expected only [offset]"), e.getMessage());
    }

    @Test
    void aLayerWithoutACodecCannotBeSavedAndTheMessageSaysHowToAddOne(@TempDir Path dir) {
        Layer anonymous = new Layer() {
            @Override
            public String name() {
                return "Mine()";
            }

            @Override
            public Shape outputShape(Shape input) {
                return input;
            }

            @Override
            public void forward(Tensor in, Tensor out, LayerContext ctx) {
                System.arraycopy(in.data(), 0, out.data(), 0, in.length());
            }

            @Override
            public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
            }
        };
        Sequential m = Sequential.of(List.of(new Flatten(), new Block(anonymous), new Dense(2))).input(4).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeModelFormat.write(dir.resolve("x.json"), m));
        assertTrue(e.getMessage().contains("Mine()") && e.getMessage().contains("META-INF/services/io.github.cnn4j.io.json.LayerCodec"),
                e.getMessage());
    }

    @Test
    void twoCodecsForOneTypeAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LayerCodecs.withBuiltins(List.of(new ScaleCodec(), new ScaleCodec())));
        assertTrue(e.getMessage().contains("both claim type 'scale'"), e.getMessage());
    }
}
