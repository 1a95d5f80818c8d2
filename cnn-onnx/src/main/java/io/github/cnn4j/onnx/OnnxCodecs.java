package io.github.cnn4j.onnx;

import io.github.cnn4j.layer.Layer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of {@link OnnxCodec}s: the built-in layers' codecs and those found with
 * {@link ServiceLoader}, by layer class (export) and by operator (import). A layer class and an
 * operator each have at most one codec; a codec on the class path that claims a taken one is an
 * error when the registry loads.
 */
public final class OnnxCodecs {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxCodecs.class);
    private static volatile OnnxCodecs standard;

    private final List<OnnxCodec<?>> codecs;
    private final Map<Class<?>, OnnxCodec<?>> byClass = new LinkedHashMap<>();
    private final Map<String, OnnxCodec<?>> byOp = new LinkedHashMap<>();

    private OnnxCodecs(List<OnnxCodec<?>> codecs) {
        this.codecs = List.copyOf(codecs);
        for (OnnxCodec<?> c : codecs) {
            OnnxCodec<?> old = byClass.putIfAbsent(c.layerClass(), c);
            if (old != null) {
                throw new IllegalStateException("ONNX codecs " + old.getClass().getName() + " and " + c.getClass().getName()
                        + " both claim " + c.layerClass().getName());
            }
            for (String op : c.importOps()) {
                old = byOp.putIfAbsent(op, c);
                if (old != null) {
                    throw new IllegalStateException("ONNX codecs " + old.getClass().getName() + " and " + c.getClass().getName()
                            + " both import operator " + op);
                }
            }
        }
    }

    /**
     * The built-in codecs plus every {@link OnnxCodec} listed in
     * {@code META-INF/services/io.github.cnn4j.onnx.OnnxCodec} on the class path (loaded once).
     *
     * @return the registry
     * @throws IllegalStateException when two codecs claim one layer class or operator
     */
    public static OnnxCodecs standard() {
        OnnxCodecs s = standard;
        if (s == null) {
            synchronized (OnnxCodecs.class) {
                s = standard;
                if (s == null) {
                    List<OnnxCodec<?>> all = new ArrayList<>(BuiltinOnnxCodecs.all());
                    for (OnnxCodec<?> c : ServiceLoader.load(OnnxCodec.class, OnnxCodecs.class.getClassLoader())) {
                        LOG.debug("ONNX codec {} for {} (imports {})", c.getClass().getName(), c.layerClass().getName(), c.importOps());
                        all.add(c);
                    }
                    s = new OnnxCodecs(all);
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
     * @throws IllegalStateException when two codecs claim one layer class or operator
     */
    public static OnnxCodecs withBuiltins(List<? extends OnnxCodec<?>> extra) {
        List<OnnxCodec<?>> all = new ArrayList<>(BuiltinOnnxCodecs.all());
        all.addAll(extra);
        return new OnnxCodecs(all);
    }

    /** @return every codec, built-in ones first */
    public List<OnnxCodec<?>> codecs() {
        return codecs;
    }

    /** @return the operators the import reads (besides {@code Identity}, {@code Constant} and forks), sorted */
    public Set<String> importOps() {
        return Collections.unmodifiableSet(new TreeSet<>(byOp.keySet()));
    }

    /** @return the simple names of the layer classes the export writes, in registration order */
    public List<String> exportable() {
        List<String> names = new ArrayList<>();
        for (Class<?> c : byClass.keySet()) {
            names.add(c.getSimpleName());
        }
        return names;
    }

    /**
     * @param layer a layer
     * @return its codec (by exact class)
     * @throws IllegalArgumentException when no codec exports its class
     */
    @SuppressWarnings("unchecked")
    public OnnxCodec<Layer> forLayer(Layer layer) {
        OnnxCodec<?> c = byClass.get(layer.getClass());
        if (c == null) {
            throw new IllegalArgumentException(layer.name() + " (" + layer.getClass().getName() + ") cannot be exported to ONNX: "
                    + "no ONNX codec for its class (register an OnnxCodec in META-INF/services/io.github.cnn4j.onnx.OnnxCodec); "
                    + "supported layers are " + String.join(", ", exportable()));
        }
        return (OnnxCodec<Layer>) c;
    }

    /**
     * @param op an operator
     * @return the codec importing it, or null
     */
    public OnnxCodec<?> forOp(String op) {
        return byOp.get(op);
    }
}
