package io.github.cnn4j.io.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.io.FormatException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a trained model expects of its input, saved in a native model file's {@code metadata} so that
 * testing and prediction need no repeated options: the class names, the image channels and size,
 * how other sizes are brought to it, and the per-channel normalisation applied after decoding.
 *
 * <pre>
 * "input.class_names": "[\"cat\",\"dog\"]"   a JSON array of strings
 * "input.channels": "3",  "input.height": "64",  "input.width": "64",  "input.resize": "STRETCH"
 * "input.mean": "0.49,0.48,0.45",  "input.std": "0.25,0.24,0.26"      (absent: no normalisation)
 * </pre>
 *
 * @param classNames class names, by label
 * @param channels   1 or 3
 * @param height     image height
 * @param width      image width
 * @param resize     name of an {@code io.github.cnn4j.io.image.ResizePolicy}
 * @param mean       per-channel means subtracted after decoding, or null
 * @param std        per-channel standard deviations divided by, or null (exactly when {@code mean} is)
 */
public record InputSpec(ClassNames classNames, int channels, int height, int width, String resize, float[] mean, float[] std) {
    /** Metadata key prefix. */
    public static final String PREFIX = "input.";
    private static final JsonFactory JSON = new JsonFactory();

    /** Checks the fields. */
    public InputSpec {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("input channels and size must be >= 1, got " + channels + " x " + height + " x " + width);
        }
        if ((mean == null) != (std == null) || mean != null && (mean.length != std.length || mean.length != channels)) {
            throw new IllegalArgumentException("normalisation needs one mean and one std per channel");
        }
    }

    /** @return whether a normalisation is applied */
    public boolean normalized() {
        return mean != null;
    }

    /** @return the metadata entries, all starting with {@link #PREFIX} */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "class_names", stringArray(classNames.asList()));
        m.put(PREFIX + "channels", Integer.toString(channels));
        m.put(PREFIX + "height", Integer.toString(height));
        m.put(PREFIX + "width", Integer.toString(width));
        m.put(PREFIX + "resize", resize);
        if (mean != null) {
            m.put(PREFIX + "mean", join(mean));
            m.put(PREFIX + "std", join(std));
        }
        return m;
    }

    private static String join(float[] v) {
        StringBuilder b = new StringBuilder();
        for (float f : v) {
            b.append(b.length() == 0 ? "" : ",").append(Float.toString(f));
        }
        return b.toString();
    }

    /**
     * @param metadata a model file's metadata
     * @param file     the model file, for messages
     * @return the spec, or null when the metadata has none (models trained before, or on MNIST files)
     * @throws FormatException naming the file and key when an entry is malformed
     */
    public static InputSpec fromMetadata(Map<String, String> metadata, Path file) throws FormatException {
        String names = metadata.get(PREFIX + "class_names");
        if (names == null) {
            return null;
        }
        try {
            List<String> list = parseStringArray(names);
            float[] mean = floats(metadata, PREFIX + "mean", file);
            float[] std = floats(metadata, PREFIX + "std", file);
            return new InputSpec(ClassNames.of(list), integer(metadata, "channels", file), integer(metadata, "height", file),
                    integer(metadata, "width", file), metadata.getOrDefault(PREFIX + "resize", "STRETCH").toUpperCase(Locale.ROOT), mean, std);
        } catch (IOException | IllegalArgumentException e) {
            throw new FormatException(file, "metadata " + PREFIX + "*: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** @return the names as a JSON array of strings */
    private static String stringArray(List<String> names) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartArray();
            for (String n : names) {
                g.writeString(n);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** @return the strings of a JSON array of strings */
    private static List<String> parseStringArray(String json) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new JsonProcessingException("class_names: expected a JSON array of strings", p.getCurrentLocation()) { };
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_STRING) {
                    throw new JsonProcessingException("class_names: expected strings, found " + t, p.getCurrentLocation()) { };
                }
                out.add(p.getText());
            }
            if (p.nextToken() != null) {
                throw new JsonProcessingException("class_names: unexpected data after the array", p.getCurrentLocation()) { };
            }
        }
        return out;
    }

    private static int integer(Map<String, String> m, String key, Path file) throws FormatException {
        String v = m.get(PREFIX + key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new FormatException(file, "metadata " + PREFIX + key + ": expected an integer, found " + v);
        }
    }

    private static float[] floats(Map<String, String> m, String key, Path file) throws FormatException {
        String v = m.get(key);
        if (v == null) {
            return null;
        }
        try {
            return parse(v);
        } catch (NumberFormatException e) {
            throw new FormatException(file, "metadata " + key + ": expected numbers separated by commas, found " + v);
        }
    }

    private static float[] parse(String v) {
        String[] parts = v.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i].trim());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s && s.classNames.equals(classNames) && s.channels == channels && s.height == height
                && s.width == width && s.resize.equals(resize) && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
    }

    @Override
    public int hashCode() {
        return classNames.hashCode() * 31 + Arrays.hashCode(mean);
    }

    @Override
    public String toString() {
        return "InputSpec(" + channels + "x" + height + "x" + width + ", " + resize + ", classes " + classNames
                + (mean == null ? "" : ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std)) + ")";
    }
}
