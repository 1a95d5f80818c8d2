package io.github.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.AttributeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.GraphProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.ModelProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.NodeProto;
import io.github.cnn4j.onnx.internal.proto.OnnxProtos.TensorProto;
import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.train.Trainer;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ONNX export of strided conv, average pooling, batch normalization and dropout, checked in ONNX Runtime. */
class OnnxModernLayersTest {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxModernLayersTest.class);

    /** Trained briefly so that the batch-norm running statistics are real population statistics. */
    private static Sequential trainedModernModel() {
        Sequential model = Sequential.of(
                        new Conv(5, 5, 6).padding(2), new BatchNorm(), new ReLU(), new MaxPool(2),     // (6, 14, 14)
                        new Conv(3, 3, 8).stride(2), new BatchNorm().epsilon(1e-3), new ReLU(),        // (8, 6, 6)
                        new AvgPool(2), new Flatten(),                                                  // 72
                        new Dense(24), new BatchNorm(), new ReLU(), new Dropout(0.25), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(11).init(InitPreset.MODERN).build();
        Trainer.builder(model).optimizer(new Adam(0.005)).epochs(1).batchSize(32).threads(2).build()
                .fit(TestData.mnist().train().subset(0, 3000));
        return model;
    }

    @Test
    void newLayersMapToOnnxOperatorsAndMatchOnnxRuntime() throws OrtException, IOException {
        Sequential model = trainedModernModel();
        GraphProto g = ModelProto.parseFrom(OnnxExporter.toBytes(model)).getGraph();
        assertEquals(List.of("Conv", "BatchNormalization", "Relu", "MaxPool", "Conv", "BatchNormalization", "Relu", "AveragePool",
                        "Flatten", "Gemm", "BatchNormalization", "Relu", "Dropout", "Gemm", "Softmax"),
                g.getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toList()));
        assertEquals(List.of(2L, 2L), attribute(g.getNode(4), "strides").getIntsList());
        assertEquals(List.of(1L, 1L), attribute(g.getNode(0), "strides").getIntsList());
        assertEquals(List.of(2L, 2L), attribute(g.getNode(7), "kernel_shape").getIntsList());
        assertEquals(0, attribute(g.getNode(7), "count_include_pad").getI());
        NodeProto bn = g.getNode(5);
        assertEquals(List.of("layer4_out", "layer5.gamma", "layer5.beta", "layer5.running_mean", "layer5.running_var"), bn.getInputList());
        assertEquals(1e-3f, attribute(bn, "epsilon").getF());
        List<String> init = g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toList());
        assertTrue(init.containsAll(List.of("layer10.gamma", "layer10.running_var")), init.toString());

        Dataset test = TestData.mnist().test().subset(0, 3000);
        OrtRunner.Comparison c = OnnxExporterTest.compare(model, test);
        LOG.info("modern layers on {} MNIST test images: max |p_cnn4j - p_ort| = {}, arg-max mismatches {}",
                c.samples(), c.maxAbsDiff(), c.argmaxMismatches());
        assertTrue(c.maxAbsDiff() <= 1e-5, "max abs difference " + c.maxAbsDiff());
        assertEquals(0, c.argmaxMismatches());
    }

    private static AttributeProto attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(node.getName() + " has no attribute " + name));
    }
}
