package io.github.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.model.Sequential;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Runs an exported model in ONNX Runtime over a dataset and compares it with cnn4j.
 *
 * <p>Batches are deliberately not a divisor of the dataset size, so the symbolic batch dimension is
 * exercised with two different sizes.
 */
final class OrtRunner implements AutoCloseable {
    /** Samples per ONNX Runtime call. */
    static final int BATCH = 768;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String outputName;

    /**
     * @param onnx       the exported model's bytes
     * @param outputName the graph output to read
     */
    OrtRunner(byte[] onnx, String outputName) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            options.setInterOpNumThreads(1);
            this.session = env.createSession(onnx, options);
        }
        this.outputName = outputName;
    }

    /** Checks the session's input and output names and shapes (batch dimension symbolic, -1). */
    void checkSignature(Sequential model) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        assertEquals(Set.of(OnnxExporter.INPUT_NAME), inputs.keySet());
        assertEquals(Set.of(outputName), outputs.keySet());
        long[] in = ((TensorInfo) inputs.get(OnnxExporter.INPUT_NAME).getInfo()).getShape();
        long[] out = ((TensorInfo) outputs.get(outputName).getInfo()).getShape();
        assertEquals(-1, in[0], "symbolic batch dimension of the input: " + Arrays.toString(in));
        assertEquals(-1, out[0], "symbolic batch dimension of the output: " + Arrays.toString(out));
        int[] sample = model.inputShape().dims();
        assertEquals(sample.length + 1, in.length);
        for (int i = 0; i < sample.length; i++) {
            assertEquals(sample[i], in[i + 1]);
        }
        assertEquals(2, out.length);
        assertEquals(model.outputShape().size(), out[1]);
    }

    /**
     * @param data the samples
     * @return {@code data.size() x K} outputs, sample after sample
     */
    float[] run(Dataset data, int k) throws OrtException {
        int sampleSize = data.shape().size();
        int[] dims = data.shape().dims();
        float[] result = new float[data.size() * k];
        float[] images = new float[BATCH * sampleSize];
        int[] labels = new int[BATCH];
        for (int from = 0; from < data.size(); from += BATCH) {
            int n = Math.min(BATCH, data.size() - from);
            data.copyBatch(from, n, images, labels);
            long[] shape = new long[dims.length + 1];
            shape[0] = n;
            for (int i = 0; i < dims.length; i++) {
                shape[i + 1] = dims[i];
            }
            try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images, 0, n * sampleSize), shape);
                 OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT_NAME, input))) {
                OnnxTensor out = (OnnxTensor) r.get(outputName).orElseThrow();
                assertTrue(Arrays.equals(new long[] {n, k}, out.getInfo().getShape()),
                        "output shape " + Arrays.toString(out.getInfo().getShape()));
                out.getFloatBuffer().get(result, from * k, n * k);
            }
        }
        return result;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    /** Largest absolute difference and the count of differing arg-maxes between two output arrays. */
    record Comparison(double maxAbsDiff, int argmaxMismatches, int samples) {
        static Comparison of(float[] expected, float[] actual, int k) {
            assertEquals(expected.length, actual.length);
            double max = 0;
            int mismatches = 0;
            for (int s = 0; s < expected.length / k; s++) {
                for (int j = 0; j < k; j++) {
                    float a = expected[s * k + j];
                    float b = actual[s * k + j];
                    assertTrue(Float.isFinite(b), "ONNX Runtime output " + b + " for sample " + s);
                    max = Math.max(max, Math.abs(a - b));
                }
                if (Sequential.argmax(expected, s * k, k) != Sequential.argmax(actual, s * k, k)) {
                    mismatches++;
                }
            }
            return new Comparison(max, mismatches, expected.length / k);
        }
    }
}
