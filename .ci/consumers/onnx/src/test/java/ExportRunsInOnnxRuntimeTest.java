import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.OnnxExporter;
import io.github.cnn4j.tensor.Shape;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported model runs in ONNX Runtime and gives cnn4j's probabilities. */
class ExportRunsInOnnxRuntimeTest {
    @Test
    void onnxRuntimeRunsTheExportedModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model_b.onnx");
        Export.main(new String[] {file.toString()});
        Sequential model = Export.modelB();
        int n = 8;
        float[] images = new float[n * 28 * 28];
        Random r = new Random(7);
        for (int i = 0; i < images.length; i++) {
            images[i] = r.nextFloat();
        }
        float[] expected = model.predict(new Dataset(images, new int[n], Shape.of(1, 28, 28), 10), 1);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(Files.readAllBytes(file), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {n, 1, 28, 28});
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT_NAME, input))) {
            OnnxTensor out = (OnnxTensor) result.get(OnnxExporter.PROBABILITIES_NAME).orElseThrow();
            assertArrayEquals(new long[] {n, 10}, out.getInfo().getShape());
            float[] actual = new float[n * 10];
            out.getFloatBuffer().get(actual);
            assertArrayEquals(expected, actual, 1e-5f);
            assertEquals(1.0, sum(actual, 0, 10), 1e-5);
        }
        System.out.println("consumer-onnx: model B exported (" + Files.size(file) + " bytes) and run in ONNX Runtime: "
                + n + " images, probabilities equal to cnn4j's within 1e-5");
    }

    private static double sum(float[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s;
    }
}
