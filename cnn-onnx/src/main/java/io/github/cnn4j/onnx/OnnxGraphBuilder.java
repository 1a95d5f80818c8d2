package io.github.cnn4j.onnx;

import com.google.protobuf.UnsafeByteOperations;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.AttributeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ModelProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TypeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * Translates a built {@link Sequential} into an ONNX {@link ModelProto}, one node per layer (the
 * mapping is described in the package documentation). Value names: the graph input
 * {@value OnnxExporter#INPUT_NAME}, layer {@code i}'s output {@code layer<i>_out} (the last one takes
 * the graph output's name), its parameters {@code layer<i>.weight} and {@code layer<i>.bias} (batch
 * normalization: {@code layer<i>.gamma}, {@code .beta}, {@code .running_mean}, {@code .running_var}).
 */
final class OnnxGraphBuilder {
    /** Protobuf cannot serialize a message of 2 GiB or more; keep a margin for the graph itself. */
    static final long MAX_PARAMETER_BYTES = Integer.MAX_VALUE - (64L << 20);

    private static final String SUPPORTED = "Conv, MaxPool, ReLU, Sigmoid, Tanh, Flatten, Dense, Softmax, AvgPool, BatchNorm, Dropout";

    private final Sequential model;
    private final GraphProto.Builder graph = GraphProto.newBuilder();

    private OnnxGraphBuilder(Sequential model) {
        this.model = model;
    }

    /**
     * @param model a built model
     * @return its ONNX model
     * @throws IllegalArgumentException when a layer is not supported or the parameters are too large
     */
    static ModelProto build(Sequential model) {
        Objects.requireNonNull(model, "model");
        checkSupported(model);
        return new OnnxGraphBuilder(model).translate();
    }

    /** Fails before any work when a layer has no mapping or the file would be too large. */
    private static void checkSupported(Sequential model) {
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (!(l instanceof Conv || l instanceof MaxPool || l instanceof ReLU || l instanceof Sigmoid
                    || l instanceof Tanh || l instanceof Flatten || l instanceof Dense || l instanceof Softmax
                    || l instanceof AvgPool || l instanceof BatchNorm || l instanceof Dropout)) {
                throw new IllegalArgumentException("layer " + i + " " + l.name() + " (" + l.getClass().getName()
                        + ") cannot be exported to ONNX: supported layers are " + SUPPORTED);
            }
        }
        long bytes = 4L * model.parameterCount();
        if (bytes > MAX_PARAMETER_BYTES) {
            throw new IllegalArgumentException("the model's " + model.parameterCount() + " parameters (" + bytes
                    + " bytes) do not fit in one ONNX file, which protobuf limits to 2 GiB");
        }
    }

    private ModelProto translate() {
        List<Layer> layers = model.layers();
        List<Shape> shapes = model.shapes();
        String outputName = OnnxExporter.outputName(model);
        graph.setName("cnn4j_sequential");
        graph.setDocString(model.toString());
        graph.addInput(valueInfo(OnnxExporter.INPUT_NAME, shapes.get(0)));
        String previous = OnnxExporter.INPUT_NAME;
        for (int i = 0; i < layers.size(); i++) {
            boolean last = i == layers.size() - 1;
            String out = last ? outputName : "layer" + i + "_out";
            addLayer(i, layers.get(i), previous, out);
            if (!last) {
                graph.addValueInfo(valueInfo(out, shapes.get(i + 1)));
            }
            previous = out;
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

    private void addLayer(int index, Layer layer, String input, String output) {
        String prefix = "layer" + index;
        NodeProto.Builder node = NodeProto.newBuilder().setName(prefix + "_" + layer.getClass().getSimpleName())
                .setDocString(layer.name())
                .addInput(input)
                .addOutput(output);
        if (layer instanceof Conv) {
            Conv c = (Conv) layer;
            int p = c.padding();
            node.setOpType("Conv")
                    .addInput(initializer(prefix + ".weight", c.weight()))
                    .addInput(initializer(prefix + ".bias", c.bias()))
                    .addAttribute(ints("kernel_shape", c.kernelHeight(), c.kernelWidth()))
                    .addAttribute(ints("pads", p, p, p, p))
                    .addAttribute(ints("strides", c.stride(), c.stride()))
                    .addAttribute(ints("dilations", 1, 1))
                    .addAttribute(integer("group", 1));
        } else if (layer instanceof MaxPool) {
            int s = ((MaxPool) layer).size();
            node.setOpType("MaxPool")
                    .addAttribute(ints("kernel_shape", s, s))
                    .addAttribute(ints("strides", s, s))
                    .addAttribute(ints("pads", 0, 0, 0, 0))
                    .addAttribute(integer("ceil_mode", 0));
        } else if (layer instanceof ReLU) {
            node.setOpType("Relu");
        } else if (layer instanceof Sigmoid) {
            node.setOpType("Sigmoid");
        } else if (layer instanceof Tanh) {
            node.setOpType("Tanh");
        } else if (layer instanceof Flatten) {
            node.setOpType("Flatten").addAttribute(integer("axis", 1));
        } else if (layer instanceof Dense) {
            Dense d = (Dense) layer;
            node.setOpType("Gemm")
                    .addInput(initializer(prefix + ".weight", d.weight()))
                    .addInput(initializer(prefix + ".bias", d.bias()))
                    .addAttribute(real("alpha", 1f))
                    .addAttribute(real("beta", 1f))
                    .addAttribute(integer("transA", 0))
                    .addAttribute(integer("transB", 0));
        } else if (layer instanceof Softmax) {
            node.setOpType("Softmax").addAttribute(integer("axis", 1));
        } else if (layer instanceof AvgPool) {
            int s = ((AvgPool) layer).size();
            node.setOpType("AveragePool")
                    .addAttribute(ints("kernel_shape", s, s))
                    .addAttribute(ints("strides", s, s))
                    .addAttribute(ints("pads", 0, 0, 0, 0))
                    .addAttribute(integer("ceil_mode", 0))
                    .addAttribute(integer("count_include_pad", 0));
        } else if (layer instanceof BatchNorm) {
            BatchNorm b = (BatchNorm) layer;
            node.setOpType("BatchNormalization")
                    .addInput(initializer(prefix + ".gamma", b.gamma()))
                    .addInput(initializer(prefix + ".beta", b.beta()))
                    .addInput(initializer(prefix + ".running_mean", b.runningMean()))
                    .addInput(initializer(prefix + ".running_var", b.runningVar()))
                    .addAttribute(real("epsilon", (float) b.epsilon()));
        } else if (layer instanceof Dropout) {
            node.setOpType("Identity");
        } else {
            throw new IllegalStateException("unreachable: layer " + index + " " + layer.name() + " passed the check");
        }
        graph.addNode(node);
    }

    /** Adds a parameter as a float32 initializer and returns its name. */
    private String initializer(String name, Parameter p) {
        float[] values = p.value();
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                // The array is fresh and never changed again, so the message may share it.
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes.array()));
        for (int d : p.shape().dims()) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A float32 tensor value of shape {@code [N, sample dims...]}. */
    private static ValueInfoProto valueInfo(String name, Shape sample) {
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

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }
}
