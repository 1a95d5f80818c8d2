package io.github.cnn4j.io.json;

import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.util.List;

/** The codec of the test-only {@link Scale} layer, found through {@code META-INF/services}: type {@code scale}, field {@code offset}. */
public final class ScaleCodec implements LayerCodec<Scale> {
    @Override
    public String type() {
        return "scale";
    }

    @Override
    public Class<Scale> layerClass() {
        return Scale.class;
    }

    @Override
    public void write(Scale layer, LayerWriter out) throws IOException {
        out.field("offset", layer.offset());
    }

    @Override
    public Scale read(LayerReader in) throws FormatException {
        return new Scale(in.number("offset", 0.0));
    }

    @Override
    public List<ParamSpec> parameters(Scale layer, Shape input, LayerCodecs codecs) {
        return List.of(ParamSpec.parameter("gain", input.dim(0)));
    }
}
