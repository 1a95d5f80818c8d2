package io.github.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authors' six trained models, exported to ONNX files and run in ONNX Runtime on the real MNIST
 * test set, give cnn4j's probabilities and the same predicted class for all 10,000 images.
 */
class PublishedModelsOnnxTest {
    private static final Logger LOG = LoggerFactory.getLogger(PublishedModelsOnnxTest.class);

    /** Largest accepted difference of one probability between cnn4j and ONNX Runtime (float32 rounding). */
    static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"A", "B", "C", "D", "E", "F"})
    void publishedModelRunsInOnnxRuntime(String letter, @TempDir Path dir) throws IOException, OrtException {
        Sequential model = PaperFormat.readModel(TestData.authors("models/CNN_" + letter + ".json")).model();
        Dataset test = TestData.mnist().test();
        assertEquals(10_000, test.size());

        Path file = dir.resolve("CNN_" + letter + ".onnx");
        OnnxExporter.write(file, model);
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(OnnxExporter.toBytes(model), bytes);

        int k = model.outputShape().size();
        assertEquals(10, k);
        float[] expected = model.predict(test, 2);
        float[] actual;
        try (OrtRunner ort = new OrtRunner(bytes, OnnxExporter.PROBABILITIES_NAME)) {
            ort.checkSignature(model);
            actual = ort.run(test, k);
        }
        OrtRunner.Comparison c = OrtRunner.Comparison.of(expected, actual, k);
        int correct = 0;
        for (int s = 0; s < test.size(); s++) {
            if (Sequential.argmax(actual, s * k, k) == test.label(s)) {
                correct++;
            }
        }
        LOG.info("CNN_{} in ONNX Runtime ({} bytes, {}): max |p_cnn4j - p_ort| = {}, arg-max mismatches {}, accuracy {}/{}",
                letter, bytes.length, model, c.maxAbsDiff(), c.argmaxMismatches(), correct, test.size());
        assertEquals(test.size(), c.samples());
        assertTrue(c.maxAbsDiff() <= TOLERANCE, "CNN_" + letter + ": max abs difference " + c.maxAbsDiff());
        assertEquals(0, c.argmaxMismatches(), "CNN_" + letter + ": images whose predicted class differs");
    }
}
