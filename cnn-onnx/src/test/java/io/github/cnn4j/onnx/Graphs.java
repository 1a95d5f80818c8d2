package io.github.cnn4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.AttributeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ModelProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TypeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import io.github.cnn4j.random.Rng;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/** Hand-made ONNX graphs for the import tests, and helpers to run models on random inputs. */
final class Graphs {
    private Graphs() {
    }

    /** A float32 value {@code [N, dims...]} (batch symbolic). */
    static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    /** A float32 initializer with raw little-endian data. */
    static TensorProto floats(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** An int64 vector initializer (listed values). */
    static TensorProto int64s(String name, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return t.build();
    }

    static NodeProto node(String name, String op, String[] inputs, String output, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(op).addOutput(output);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto strAttr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    static AttributeProto real(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    /** A model (opset 13) of one graph. */
    static ModelProto model(GraphProto.Builder g) {
        return ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g.setName("test")).build();
    }

    /** {@code n} values uniform in [-1, 1), seeded. */
    static float[] random(long seed, int n) {
        Rng r = new Rng(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (2 * r.nextDouble() - 1);
        }
        return v;
    }

    /** The model's outputs for {@code n} samples of {@code x}, sample by sample. */
    static float[] predict(Sequential m, float[] x, int n) {
        int in = m.inputShape().size();
        int out = m.outputShape().size();
        float[] y = new float[n * out];
        for (int s = 0; s < n; s++) {
            float[] sample = new float[in];
            System.arraycopy(x, s * in, sample, 0, in);
            System.arraycopy(m.predict(sample), 0, y, s * out, out);
        }
        return y;
    }

    /** Runs ONNX bytes in ONNX Runtime on {@code [n, sample]} and returns the one output, flat. */
    static float[] ort(byte[] onnx, float[] x, long... shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(onnx, o);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
                FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] y = new float[b.remaining()];
                b.get(y);
                return y;
            }
        }
    }
}
