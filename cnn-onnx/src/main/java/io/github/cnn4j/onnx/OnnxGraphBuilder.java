package io.github.cnn4j.onnx;

import io.github.cnn4j.layer.CompositeLayer;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ModelProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TypeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import io.github.cnn4j.tensor.Shape;
import java.util.List;
import java.util.Objects;

/**
 * Translates a built {@link Sequential} into an ONNX {@link ModelProto}, each layer through its
 * {@link OnnxCodec} (the mapping is described in the package documentation). Value names: the graph
 * input {@value OnnxExporter#INPUT_NAME}, layer {@code i}'s output {@code layer<i>_out} (the last one
 * takes the graph output's name), its parameters {@code layer<i>.weight} and {@code layer<i>.bias}
 * (batch normalization: {@code layer<i>.gamma}, {@code .beta}, {@code .running_mean},
 * {@code .running_var}); a composite's children extend the prefix ({@code layer<i>.block.0}).
 */
final class OnnxGraphBuilder {
    /** Protobuf cannot serialize a message of 2 GiB or more; keep a margin for the graph itself. */
    static final long MAX_PARAMETER_BYTES = Integer.MAX_VALUE - (64L << 20);

    private OnnxGraphBuilder() {
    }

    /**
     * @param model  a built model
     * @param codecs the codecs to export with
     * @return its ONNX model
     * @throws IllegalArgumentException when a layer is not supported or the parameters are too large
     */
    static ModelProto build(Sequential model, OnnxCodecs codecs) {
        Objects.requireNonNull(model, "model");
        checkSupported(model, codecs);
        List<Layer> layers = model.layers();
        List<Shape> shapes = model.shapes();
        String outputName = OnnxExporter.outputName(model);
        OnnxExport.Graph state = new OnnxExport.Graph(codecs);
        GraphProto.Builder graph = GraphProto.newBuilder().setName("cnn4j_sequential").setDocString(model.toString());
        graph.addInput(valueInfo(OnnxExporter.INPUT_NAME, shapes.get(0)));
        String previous = OnnxExporter.INPUT_NAME;
        for (int i = 0; i < layers.size(); i++) {
            previous = OnnxExport.export(state, layers.get(i), "layer" + i, previous, shapes.get(i));
            if (i < layers.size() - 1) {
                graph.addValueInfo(valueInfo(previous, shapes.get(i + 1)));
            }
        }
        OnnxExport.rename(state.nodes, previous, outputName);
        for (NodeProto.Builder n : state.nodes) {
            graph.addNode(n);
        }
        for (TensorProto t : state.initializers) {
            graph.addInitializer(t);
        }
        graph.addOutput(valueInfo(outputName, shapes.get(shapes.size() - 1)));

        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(OnnxExporter.IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxExporter.OPSET_VERSION))
                .setProducerName(OnnxExporter.PRODUCER)
                .setModelVersion(1)
                .setGraph(graph);
        String version = OnnxExporter.class.getPackage().getImplementationVersion();
        if (version != null) {
            m.setProducerVersion(version);
        }
        return m.build();
    }

    /** Fails before any work when a layer (or a composite's child) has no codec or the file would be too large. */
    private static void checkSupported(Sequential model, OnnxCodecs codecs) {
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            check(layers.get(i), "layer " + i + " ", codecs);
        }
        long bytes = 4L * model.parameterCount();
        if (bytes > MAX_PARAMETER_BYTES) {
            throw new IllegalArgumentException("the model's " + model.parameterCount() + " parameters (" + bytes
                    + " bytes) do not fit in one ONNX file, which protobuf limits to 2 GiB");
        }
    }

    private static void check(Layer layer, String where, OnnxCodecs codecs) {
        try {
            codecs.forLayer(layer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        if (layer instanceof CompositeLayer c) {
            List<Layer> children = c.children();
            for (int k = 0; k < children.size(); k++) {
                check(children.get(k), where + "child " + k + " ", codecs);
            }
        }
    }

    /** A float32 tensor value of shape {@code [N, sample dims...]}. */
    static ValueInfoProto valueInfo(String name, Shape sample) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(OnnxExporter.BATCH_DIMENSION));
        for (int d : sample.dims()) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto type = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
