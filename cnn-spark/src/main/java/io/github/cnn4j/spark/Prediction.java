package io.github.cnn4j.spark;

import io.github.cnn4j.data.Normalize;
import io.github.cnn4j.io.image.ImageDecoder;
import io.github.cnn4j.io.image.ImageLimits;
import io.github.cnn4j.io.image.ResizePolicy;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What the scoring functions run on an executor: the broadcast model (decoded once per JVM and
 * shared by its threads; {@link Sequential#predict(float[])} keeps one workspace per thread) and the
 * model's input preprocessing (decode, resize, normalize) as the {@code cnn4j predict} command applies it.
 */
final class Prediction implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<Long, Sequential> MODELS = new ConcurrentHashMap<>();

    /** The result struct: {@code class int, class_name string, probabilities array<float>}. */
    static final StructType TYPE = new StructType()
            .add("class", DataTypes.IntegerType, false)
            .add("class_name", DataTypes.StringType, false)
            .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private final Broadcast<byte[]> model;
    private final String[] classNames;
    private final int channels;
    private final int height;
    private final int width;
    private final ResizePolicy resize;
    private final float[] mean;
    private final float[] std;

    Prediction(Broadcast<byte[]> model, String[] classNames, int channels, int height, int width, ResizePolicy resize, float[] mean,
               float[] std) {
        this.model = model;
        this.classNames = classNames;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.resize = resize;
        this.mean = mean;
        this.std = std;
    }

    Sequential model() {
        return MODELS.computeIfAbsent(model.id(), k -> ModelBytes.decode(model.value()).model());
    }

    /** Drops this JVM's copy of the model (the driver's, in local mode). */
    void release() {
        MODELS.remove(model.id());
    }

    int size() {
        return channels * height * width;
    }

    /** @return the struct for a sample that went through the preprocessing already */
    Row score(float[] sample) {
        if (sample.length != size()) {
            throw new IllegalArgumentException("features of " + sample.length + " values, the model takes " + channels + " x " + height
                    + " x " + width + " = " + size());
        }
        float[] p = model().predict(sample);
        int c = Sequential.argmax(p, 0, p.length);
        return RowFactory.create(c, c < classNames.length ? classNames[c] : Integer.toString(c), p);
    }

    /** @return the struct for an encoded image: decoded, brought to the model's size and normalized first */
    Row scoreImage(String name, byte[] content) {
        float[] px = decode(name, content);
        if (mean != null) {
            float[] out = new float[px.length];
            new Normalize(mean, std).apply(px, 0, Shape.of(channels, height, width), out, 0, 0);
            px = out;
        }
        return score(px);
    }

    /** Decodes through {@link ImageDecoder} (its size and corruption checks); errors name the image. */
    private float[] decode(String name, byte[] content) {
        try {
            return ImageDecoder.decode(content, Path.of(name), channels, height, width, resize, ImageLimits.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
