package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.cnn4j.layer.Layer;
import java.io.IOException;
import java.util.List;

/** Writes the fields of one layer entry for a {@link LayerCodec}; nested layers go through their own codecs. */
public final class LayerWriter {
    private final JsonGenerator g;
    private final LayerCodecs codecs;

    LayerWriter(JsonGenerator g, LayerCodecs codecs) {
        this.g = g;
        this.codecs = codecs;
    }

    /**
     * @param name  field name
     * @param value an integer
     * @throws IOException when writing fails
     */
    public void field(String name, long value) throws IOException {
        g.writeNumberField(name, value);
    }

    /**
     * @param name  field name
     * @param value a finite number
     * @throws IOException when writing fails
     */
    public void field(String name, double value) throws IOException {
        g.writeNumberField(name, value);
    }

    /**
     * @param name  field name
     * @param value a flag
     * @throws IOException when writing fails
     */
    public void field(String name, boolean value) throws IOException {
        g.writeBooleanField(name, value);
    }

    /**
     * @param name  field name
     * @param value a string
     * @throws IOException when writing fails
     */
    public void field(String name, String value) throws IOException {
        g.writeStringField(name, value);
    }

    /**
     * @param name   field name
     * @param values integers, written as a JSON array
     * @throws IOException when writing fails
     */
    public void field(String name, int[] values) throws IOException {
        g.writeFieldName(name);
        g.writeArray(values, 0, values.length);
    }

    /**
     * Writes a nested layer (with its own {@code type}) as an object.
     *
     * @param name  field name
     * @param layer the layer
     * @throws IOException when writing fails
     */
    public void layer(String name, Layer layer) throws IOException {
        g.writeFieldName(name);
        codecs.writeEntry(layer, g);
    }

    /**
     * Writes nested layers as an array of objects.
     *
     * @param name   field name
     * @param layers the layers
     * @throws IOException when writing fails
     */
    public void layers(String name, List<? extends Layer> layers) throws IOException {
        g.writeArrayFieldStart(name);
        for (Layer l : layers) {
            codecs.writeEntry(l, g);
        }
        g.writeEndArray();
    }
}
