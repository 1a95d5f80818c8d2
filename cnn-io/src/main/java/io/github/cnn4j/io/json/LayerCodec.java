package io.github.cnn4j.io.json;

import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.util.List;

/**
 * How one layer type is stored in cnn4j's native model format: its JSON type name and fields, how
 * a configured layer is built from them, and the arrays it stores. Every built-in layer has one;
 * a user-defined layer becomes savable and loadable like a built-in one by implementing this
 * interface and listing the implementation in
 * {@code META-INF/services/io.github.cnn4j.io.json.LayerCodec} (found with {@link java.util.ServiceLoader}).
 *
 * <pre>{@code
 * public final class ScaleCodec implements LayerCodec<Scale> {
 *     public String type() { return "scale"; }
 *     public Class<Scale> layerClass() { return Scale.class; }
 *     public void write(Scale l, LayerWriter out) throws IOException { out.field("factor", l.factor()); }
 *     public Scale read(LayerReader in) throws FormatException { return new Scale(in.number("factor", null)); }
 * }
 * }</pre>
 *
 * <p>A codec is chosen by the layer's exact class (writing) or by the file's {@code type} string
 * (reading): nothing in a file ever names a Java class, and only codecs on the class path exist.
 * A type string may have one codec; a codec on the class path that claims a taken type or class is
 * an error when the registry loads. Fields a codec's {@link #read} does not ask for are rejected
 * with the file, the entry and the unknown names. New optional fields of an existing type should
 * default to the old behaviour and be written only when they differ from it, so older files read
 * the same and files of models not using them stay readable by older versions.
 *
 * <p><b>Other formats.</b> This interface is the JSON part of a layer type. Other formats add their
 * own part per layer type as a separate service keyed by the same {@link #type()} or
 * {@link #layerClass()}: the ONNX module (cnn-onnx) defines {@code io.github.cnn4j.onnx.OnnxCodec} (the nodes a layer
 * exports to and the operators it imports from), looked up by layer class for export and by
 * operator for import, so that cnn-io does not depend on ONNX and a user-defined layer adds ONNX
 * support by registering one more codec.
 *
 * @param <L> the layer class
 */
public interface LayerCodec<L extends Layer> {

    /** @return the {@code type} string in files, e.g. {@code conv}: lower case letters, digits and '_' */
    String type();

    /** @return the exact class of the layers this codec writes */
    Class<L> layerClass();

    /**
     * Writes the layer's configuration fields (the registry writes {@code type}).
     *
     * @param layer a configured or built layer of {@link #layerClass()}
     * @param out   where to write fields
     * @throws IOException when writing fails
     */
    void write(L layer, LayerWriter out) throws IOException;

    /**
     * Creates the configured (unbuilt) layer of a file entry.
     *
     * @param in the entry's fields, with typed and checked accessors
     * @return the layer
     * @throws FormatException naming the file and field when a field is missing or invalid (use {@link LayerReader#fail})
     */
    L read(LayerReader in) throws FormatException;

    /**
     * The arrays a layer stores when built on {@code input}: its parameters in
     * {@code Layer.parameters()} order, then its state in {@code Layer.state()} order, computed from
     * its configuration without allocating them (a reader checks a file's sizes against these before
     * allocating). The default: none.
     *
     * @param layer  a configured or built layer of {@link #layerClass()}
     * @param input  its input shape (one it accepts)
     * @param codecs the registry, for composite layers to ask about their children
     * @return the specs
     */
    default List<ParamSpec> parameters(L layer, Shape input, LayerCodecs codecs) {
        return List.of();
    }
}
