/**
 * Export of trained models to ONNX, so that they run in other runtimes (ONNX Runtime, OpenCV's DNN
 * module, onnx.js and others), and import of ONNX models into cnn4j, in pure Java.
 *
 * <ul>
 *   <li>{@link io.github.cnn4j.onnx.OnnxImporter}: reads an ONNX model into a
 *       {@link io.github.cnn4j.model.Sequential} (operators, import rules and the checks against
 *       hostile files in its documentation; docs/onnx.md has the conformance table).</li>
 *   <li>{@link io.github.cnn4j.onnx.OnnxCodec}: one per layer type, the nodes a layer exports to and
 *       the node patterns it imports from; {@link io.github.cnn4j.onnx.OnnxCodecs} is the registry of
 *       the built-in codecs and those listed in
 *       {@code META-INF/services/io.github.cnn4j.onnx.OnnxCodec}.</li>
 *   <li>{@link io.github.cnn4j.onnx.OnnxExporter}: writes a {@link io.github.cnn4j.model.Sequential}
 *       as an ONNX model file (opset {@value io.github.cnn4j.onnx.OnnxExporter#OPSET_VERSION},
 *       IR version {@value io.github.cnn4j.onnx.OnnxExporter#IR_VERSION}), atomically
 *       ({@link io.github.cnn4j.io.AtomicFiles}).</li>
 * </ul>
 *
 * <h2>Layer mapping</h2>
 * <table>
 *   <caption>cnn4j layers and the ONNX operators they become</caption>
 *   <tr><th>cnn4j</th><th>ONNX</th></tr>
 *   <tr><td>{@code Conv}</td><td>{@code Conv} with weight {@code (F, C, KH, KW)} and bias {@code (F)},
 *       {@code pads} {@code [p, p, p, p]}, {@code strides} {@code [s, s]} (1 unless {@code Conv.stride(s)})</td></tr>
 *   <tr><td>{@code MaxPool}</td><td>{@code MaxPool} with {@code kernel_shape} and {@code strides}
 *       {@code [s, s]}, {@code ceil_mode} 0 (incomplete windows are dropped, as in cnn4j)</td></tr>
 *   <tr><td>{@code AvgPool}</td><td>{@code AveragePool} with {@code kernel_shape} and {@code strides}
 *       {@code [s, s]}, no padding, {@code ceil_mode} 0</td></tr>
 *   <tr><td>{@code BatchNorm}</td><td>{@code BatchNormalization} in inference form: {@code scale}
 *       gamma, {@code B} beta, {@code input_mean} and {@code input_var} the running statistics,
 *       {@code epsilon}; on vectors {@code (N, C)} as well as images {@code (N, C, H, W)}</td></tr>
 *   <tr><td>{@code Dropout}</td><td>{@code Dropout} with its ratio as a scalar initializer (the identity at inference)</td></tr>
 *   <tr><td>{@code GlobalAvgPool}</td><td>{@code GlobalAveragePool} then {@code Flatten} with {@code axis} 1</td></tr>
 *   <tr><td>{@code Block}</td><td>its layers' nodes, one after another (names {@code layer<i>.<k>})</td></tr>
 *   <tr><td>{@code Residual}</td><td>the block's nodes and, when it projects, the shortcut's, from the same
 *       input, joined by {@code Add(block, shortcut)} (names {@code layer<i>.block}, {@code layer<i>.shortcut})</td></tr>
 *   <tr><td>{@code ReLU}, {@code Sigmoid}, {@code Tanh}</td><td>{@code Relu}, {@code Sigmoid}, {@code Tanh}</td></tr>
 *   <tr><td>{@code Flatten}</td><td>{@code Flatten} with {@code axis} 1 (same (channel, row, column) order)</td></tr>
 *   <tr><td>{@code Dense}</td><td>{@code Gemm} {@code Y = X B + C} with cnn4j's {@code (I, U)} weight as
 *       {@code B} ({@code transB} 0) and the bias as {@code C}</td></tr>
 *   <tr><td>{@code Softmax}</td><td>{@code Softmax} with {@code axis} 1</td></tr>
 * </table>
 *
 * <p>The graph's input is {@code input}, of shape {@code [N, ...]}: a symbolic batch dimension
 * {@code N} followed by the model's input shape, e.g. {@code [N, 1, 28, 28]} for MNIST images. Its
 * output is {@code probabilities} of shape {@code [N, K]} when the model ends in {@code Softmax},
 * else {@code output}. Weights are stored as float32 initializers. Layers without an
 * {@link io.github.cnn4j.onnx.OnnxCodec} (user-written {@link io.github.cnn4j.layer.Layer}
 * implementations that register none) are rejected with an {@link java.lang.IllegalArgumentException}
 * naming the layer's index and type.
 *
 * <p>The protobuf message classes are generated at build time from {@code src/main/proto/onnx.proto},
 * the part of ONNX's own schema (same messages and field numbers) that the export writes and the import reads, into the
 * package {@code io.github.cnn4j.onnx.internal.proto}; they are an implementation detail.
 */
package io.github.cnn4j.onnx;
