package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.CompositeLayer;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of {@link LayerCodec}s: the built-in layers' codecs and those found with
 * {@link ServiceLoader}, by type string and by layer class. The native model format writes and
 * reads every layer through it, so a layer type is known in exactly one place: its codec.
 */
public final class LayerCodecs {
    private static final Logger LOG = LoggerFactory.getLogger(LayerCodecs.class);
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static volatile LayerCodecs standard;

    private final Map<String, LayerCodec<?>> byType = new LinkedHashMap<>();
    private final Map<Class<?>, LayerCodec<?>> byClass = new LinkedHashMap<>();

    private LayerCodecs(List<LayerCodec<?>> codecs) {
        for (LayerCodec<?> c : codecs) {
            String type = c.type();
            if (type == null || !TYPE.matcher(type).matches()) {
                throw new IllegalStateException("layer codec " + c.getClass().getName() + " has type '" + type
                        + "', expected lower case letters, digits and '_' (at most 64, starting with a letter)");
            }
            LayerCodec<?> old = byType.putIfAbsent(type, c);
            if (old != null) {
                throw new IllegalStateException("layer codecs " + old.getClass().getName() + " and " + c.getClass().getName()
                        + " both claim type '" + type + "'");
            }
            old = byClass.putIfAbsent(c.layerClass(), c);
            if (old != null) {
                throw new IllegalStateException("layer codecs " + old.getClass().getName() + " and " + c.getClass().getName()
                        + " both claim " + c.layerClass().getName());
            }
        }
    }

    /**
     * The built-in codecs plus every {@link LayerCodec} listed in
     * {@code META-INF/services/io.github.cnn4j.io.json.LayerCodec} on the class path (loaded once).
     *
     * @return the registry
     * @throws IllegalStateException when two codecs claim one type or class
     */
    public static LayerCodecs standard() {
        LayerCodecs s = standard;
        if (s == null) {
            synchronized (LayerCodecs.class) {
                s = standard;
                if (s == null) {
                    List<LayerCodec<?>> all = new ArrayList<>(BuiltinCodecs.all());
                    for (LayerCodec<?> c : ServiceLoader.load(LayerCodec.class, LayerCodecs.class.getClassLoader())) {
                        LOG.debug("layer codec {} for type '{}' ({})", c.getClass().getName(), c.type(), c.layerClass().getName());
                        all.add(c);
                    }
                    s = new LayerCodecs(all);
                    standard = s;
                }
            }
        }
        return s;
    }

    /**
     * A registry of the built-in codecs and the given ones (for tests and embedding without a service file).
     *
     * @param extra more codecs
     * @return the registry
     * @throws IllegalStateException when two codecs claim one type or class
     */
    public static LayerCodecs withBuiltins(List<? extends LayerCodec<?>> extra) {
        List<LayerCodec<?>> all = new ArrayList<>(BuiltinCodecs.all());
        all.addAll(extra);
        return new LayerCodecs(all);
    }

    /** @return every codec, built-in ones first */
    public List<LayerCodec<?>> codecs() {
        return Collections.unmodifiableList(new ArrayList<>(byType.values()));
    }

    /** @return every type string known */
    public Set<String> types() {
        return Collections.unmodifiableSet(byType.keySet());
    }

    /**
     * @param layer a layer
     * @return its codec (chosen by its exact class)
     * @throws IllegalArgumentException when no codec stores layers of its class
     */
    @SuppressWarnings("unchecked")
    public LayerCodec<Layer> forLayer(Layer layer) {
        LayerCodec<?> c = byClass.get(layer.getClass());
        if (c == null) {
            throw new IllegalArgumentException("layer " + layer.name() + " (" + layer.getClass().getName() + ") cannot be stored in "
                    + NativeModelFormat.FORMAT + ": no layer codec for its class (register a LayerCodec in "
                    + "META-INF/services/io.github.cnn4j.io.json.LayerCodec); known types: " + byType.keySet());
        }
        return (LayerCodec<Layer>) c;
    }

    /**
     * @param type a type string
     * @return its codec, or null
     */
    public LayerCodec<?> forType(String type) {
        return byType.get(type);
    }

    /**
     * The arrays {@code layer} stores when built on {@code input}, without allocating them.
     *
     * @param layer a configured or built layer
     * @param input its input shape
     * @return its parameters' specs, then its state's
     * @throws IllegalArgumentException when no codec stores layers of its class
     */
    public List<ParamSpec> parameters(Layer layer, Shape input) {
        return forLayer(layer).parameters(layer, input, this);
    }

    /** Checks, recursively, that every layer of a model has a codec. */
    void checkStorable(Layer layer) {
        forLayer(layer);
        if (layer instanceof CompositeLayer c) {
            for (Layer child : c.children()) {
                checkStorable(child);
            }
        }
    }

    /** Writes one layer object: its type, then its codec's fields. */
    void writeEntry(Layer layer, JsonGenerator g) throws IOException {
        LayerCodec<Layer> c = forLayer(layer);
        g.writeStartObject();
        g.writeStringField("type", c.type());
        c.write(layer, new LayerWriter(g, this));
        g.writeEndObject();
    }

    /** Creates the configured layer of one parsed entry, rejecting unknown types and fields. */
    Layer readEntry(Path file, LayerEntry entry, String where) throws FormatException {
        LayerCodec<?> c = byType.get(entry.type());
        if (c == null) {
            throw new FormatException(file, where + ".type: unknown layer type '" + JsonIn.abbreviate(entry.type())
                    + "', expected one of " + byType.keySet() + " (a newer cnn4j, or a layer codec on the class path, may read this file)");
        }
        LayerReader in = new LayerReader(file, where, entry, this);
        Layer layer;
        try {
            layer = c.read(in);
        } catch (IllegalArgumentException e) {
            throw in.fail(e.getMessage());
        }
        Set<String> unknown = in.unasked();
        if (!unknown.isEmpty()) {
            throw new FormatException(file, where + " (" + entry.type() + "): unknown option(s) " + unknown + ", expected only "
                    + in.asked() + " (a newer cnn4j may read this file)");
        }
        return layer;
    }

    /**
     * @param l a built layer
     * @return what the file stores for it: its parameters, then its state
     */
    static List<Parameter> stored(Layer l) {
        if (l.state().isEmpty()) {
            return l.parameters();
        }
        List<Parameter> all = new ArrayList<>(l.parameters());
        all.addAll(l.state());
        return all;
    }

    /** @throws IllegalArgumentException when a state value (running statistic) is not finite */
    static void checkFiniteState(Sequential model) {
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).state()) {
                float[] v = p.value();
                for (int k = 0; k < v.length; k++) {
                    if (!Float.isFinite(v[k])) {
                        throw new IllegalArgumentException("layer " + i + " " + layers.get(i).name() + " " + p.name() + "[" + k
                                + "] is " + v[k] + "; a model with non-finite state cannot be saved");
                    }
                }
            }
        }
    }
}
