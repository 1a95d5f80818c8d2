package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a model file of either format, telling them apart by their top-level fields.
 *
 * <pre>{@code Sequential model = ModelFiles.load(Path.of("CNN_A.json"));   // paper or native}</pre>
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * Tells which kind of file this is from its top-level fields (values are skipped, not parsed).
     *
     * @param file a JSON file
     * @return native model ({@code format} field), paper model ({@code convolutional_layers} and
     *         {@code trained_epochs} or {@code output_layer}) or paper config ({@code convolutional_layers} only)
     * @throws FormatException when it is none of these or not valid JSON
     * @throws IOException     when reading fails
     */
    public static ModelFileKind detect(Path file) throws IOException {
        boolean format = false;
        boolean conv = false;
        boolean trained = false;
        try (JsonIn in = JsonIn.open(file, JsonLimits.DEFAULT)) {
            in.startObject(null);
            String key;
            while ((key = in.nextField()) != null) {
                switch (key) {
                    case "format" -> format = true;
                    case "convolutional_layers" -> conv = true;
                    case "trained_epochs", "output_layer" -> trained = true;
                    default -> {
                    }
                }
                in.skip();
            }
            in.requireEnd();
        } catch (JsonProcessingException e) {
            throw JsonIn.malformed(file, e);
        }
        if (format) {
            return ModelFileKind.CNN4J_MODEL;
        }
        if (conv) {
            return trained ? ModelFileKind.PAPER_MODEL : ModelFileKind.PAPER_CONFIG;
        }
        throw new FormatException(file, "expected a cnn4j model (field 'format') or a model or config in the paper's format "
                + "(field 'convolutional_layers'), found neither");
    }

    /**
     * Loads a trained model from a native or paper-format file.
     *
     * @param file the model file
     * @return the model with its weights
     * @throws FormatException when the file is a config without weights, or invalid
     * @throws IOException     when reading fails
     */
    public static Sequential load(Path file) throws IOException {
        return switch (detect(file)) {
            case CNN4J_MODEL -> NativeModelFormat.read(file);
            case PAPER_MODEL -> PaperFormat.readModel(file).model();
            case PAPER_CONFIG -> throw new FormatException(file, "expected a trained model, found a config without weights "
                    + "(no 'trained_epochs' or 'output_layer')");
        };
    }
}
