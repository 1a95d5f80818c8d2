package io.github.cnn4j.spark;

import io.github.cnn4j.io.json.JsonLimits;
import io.github.cnn4j.io.json.NativeModel;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.model.Sequential;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** A model in cnn4j's native format as bytes: how models travel to executors (in a broadcast). */
final class ModelBytes {
    private ModelBytes() {
    }

    static byte[] encode(Sequential model, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            NativeModelFormat.write(out, model, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + model + " for the executors: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    static NativeModel decode(byte[] bytes) {
        try {
            return NativeModelFormat.read(new ByteArrayInputStream(bytes), bytes.length, Path.of("broadcast-model.json"), JsonLimits.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode the broadcast model: " + e.getMessage(), e);
        }
    }
}
