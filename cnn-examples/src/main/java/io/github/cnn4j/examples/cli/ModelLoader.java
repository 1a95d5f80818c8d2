package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.json.ModelFiles;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one place where commands open a model file, dispatching on its kind: {@code NAME.onnx} is
 * imported from ONNX ({@link OnnxImporter}); anything else is a JSON file of cnn4j's native format or
 * the paper's, told apart by its fields ({@link ModelFiles#detect}).
 */
final class ModelLoader {
    /** A model and what kind of file it came from, for messages. */
    record Loaded(Sequential model, String what) {
    }

    private ModelLoader() {
    }

    /** @return whether the file is to be read as ONNX (its name ends in {@code .onnx}, any case) */
    static boolean isOnnx(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /**
     * A trained model: ONNX, native with weights, or a trained model in the paper's format.
     *
     * @param file the model file
     * @return the model with its weights
     * @throws IOException naming the file when it cannot be read or holds no weights
     */
    static Sequential trained(Path file) throws IOException {
        return isOnnx(file) ? OnnxImporter.read(file) : ModelFiles.load(file);
    }

    /**
     * Any model file, trained or not: ONNX, native (an architecture's weights are initialized from
     * its seed), a paper config (initialized) or a paper model.
     *
     * @param file the model file
     * @return the model and a description of the file's kind
     * @throws IOException naming the file when it cannot be read
     */
    static Loaded any(Path file) throws IOException {
        if (isOnnx(file)) {
            return new Loaded(OnnxImporter.read(file), "ONNX model, imported");
        }
        return switch (ModelFiles.detect(file)) {
            case PAPER_CONFIG -> new Loaded(PaperFormat.readConfig(file).buildModel(), "config in the paper's format, untrained");
            case PAPER_MODEL -> new Loaded(PaperFormat.readModel(file).model(), "trained model in the paper's format");
            case CNN4J_MODEL -> new Loaded(NativeModelFormat.readArchitecture(file).model(),
                    "cnn4j native format (a model, or an architecture whose weights are initialized from its seed)");
        };
    }
}
