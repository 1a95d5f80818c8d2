package io.github.cnn4j.onnx;

import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The ONNX codec of the test-only {@link Gain} layer, found through {@code META-INF/services}:
 * {@code Mul(x, gain)} with the gain stored as {@code (C, 1, ..., 1)} so that it broadcasts over the
 * sample's other dimensions; imported back from a {@code Mul} whose second input is such a constant.
 */
public final class GainOnnxCodec implements OnnxCodec<Gain> {
    @Override
    public Class<Gain> layerClass() {
        return Gain.class;
    }

    @Override
    public String export(Gain layer, OnnxExport out) {
        Shape s = out.inputShape();
        long[] dims = new long[s.rank()];
        Arrays.fill(dims, 1);
        dims[0] = s.dim(0);
        return out.node("Mul", out.input(), out.initializer("gain", layer.gain().value(), dims)).output();
    }

    @Override
    public Set<String> importOps() {
        return Set.of("Mul");
    }

    @Override
    public OnnxLayer importNode(NodeProto node, OnnxImport in) throws OnnxImportException {
        in.requireData(node, 2);
        in.attributes(node);
        Shape s = in.shape();
        long[] d = in.dims(node, 1, "gain");
        long[] expected = new long[s.rank()];
        Arrays.fill(expected, 1);
        expected[0] = s.dim(0);
        if (!Arrays.equals(d, expected)) {
            throw in.unsupported(node, "gain has dims " + Arrays.toString(d) + "; expected " + Arrays.toString(expected));
        }
        return OnnxLayer.of(new Gain(), List.of(in.floats(node, 1, "gain")), List.of());
    }
}
