package io.github.cnn4j.spark;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.io.image.ResizePolicy;
import io.github.cnn4j.io.json.InputSpec;
import io.github.cnn4j.io.json.JsonLimits;
import io.github.cnn4j.io.json.NativeModel;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;

/**
 * Batch inference on Spark with a broadcast model.
 *
 * <pre>{@code
 * SparkScorer scorer = SparkScorer.load(spark, Path.of("model.json"));   // the InputSpec from its metadata
 * Dataset<Row> images = spark.read().format("binaryFile").option("pathGlobFilter", "*.png")
 *     .option("recursiveFileLookup", "true").load("hdfs:///images");
 * scorer.scoreImages(images).select("path", "class", "class_name", "probabilities").show();
 *
 * scorer.register("classify");     // SQL: SELECT path, classify_image(path, content).class_name FROM images
 *                                  //      SELECT classify(features).class FROM samples   (array<float>)
 * }</pre>
 *
 * <p>Images ({@code binaryFile}'s {@code content}, PNG, JPEG, BMP or GIF) are decoded by cnn-io's
 * {@link io.github.cnn4j.io.image.ImageDecoder} to the model's input size with the spec's resize policy
 * and normalized with its mean and std, as {@code cnn4j predict} does; {@code array<float>} features are
 * taken as already preprocessed. Results: {@code class} (int), {@code class_name} (string) and
 * {@code probabilities} (array&lt;float&gt;, the model's outputs). The model travels once per executor
 * (a broadcast), is decoded once per executor JVM, and every executor thread predicts in its own workspace.
 * A bad image fails its task with a message naming the file (Spark then fails the job).
 */
public final class SparkScorer implements AutoCloseable {
    private final SparkSession spark;
    private final Broadcast<byte[]> model;
    private final Prediction prediction;
    private final UserDefinedFunction imageUdf;
    private final UserDefinedFunction featuresUdf;

    private SparkScorer(SparkSession spark, Sequential model, InputSpec spec) {
        this.spark = Objects.requireNonNull(spark, "spark");
        Shape in = model.inputShape();
        if (in.size() != spec.channels() * spec.height() * spec.width()) {
            throw new IllegalArgumentException("the input spec " + spec.channels() + " x " + spec.height() + " x " + spec.width()
                    + " does not fit the model's input " + in);
        }
        int classes = model.outputShape().size();
        if (spec.classNames().size() != classes) {
            throw new IllegalArgumentException("the input spec names " + spec.classNames().size() + " classes, the model has " + classes
                    + " outputs");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.model = jsc.broadcast(ModelBytes.encode(model, Map.of()));
        this.prediction = new Prediction(this.model, spec.classNames().toArray(), spec.channels(), spec.height(), spec.width(),
                ResizePolicy.valueOf(spec.resize()), spec.mean(), spec.std());
        Prediction p = prediction;
        this.imageUdf = functions.udf((UDF2<String, byte[], Row>) (name, content) -> content == null ? null : p.scoreImage(name, content),
                Prediction.TYPE);
        this.featuresUdf = functions.udf((UDF1<Object, Row>) features -> features == null ? null : p.score(floats(features)),
                Prediction.TYPE);
    }

    /**
     * @param spark the session
     * @param model the model (copied into the broadcast; later changes to it are not seen)
     * @param spec  how images are brought to the model's input, and the class names
     * @return the scorer
     */
    public static SparkScorer of(SparkSession spark, Sequential model, InputSpec spec) {
        return new SparkScorer(spark, model, Objects.requireNonNull(spec, "spec"));
    }

    /**
     * A scorer for a model without an input spec: images are stretched to its input size, classes are
     * numbered, no normalization.
     *
     * @param spark the session
     * @param model a model taking {@code (channels, height, width)} images
     * @return the scorer
     */
    public static SparkScorer of(SparkSession spark, Sequential model) {
        Shape in = model.inputShape();
        if (in.rank() != 3) {
            throw new IllegalArgumentException("the model takes " + in + ", not (channels, height, width) images");
        }
        return of(spark, model, new InputSpec(ClassNames.numbered(model.outputShape().size()), in.channels(), in.height(), in.width(),
                ResizePolicy.STRETCH.name(), null, null));
    }

    /**
     * @param spark the session
     * @param file  a model in cnn4j's native format; its input spec (written by {@code cnn4j train} on
     *              an image folder) is used when it has one
     * @return the scorer
     * @throws IOException when the file cannot be read or is not a valid model
     */
    public static SparkScorer load(SparkSession spark, Path file) throws IOException {
        NativeModel m = NativeModelFormat.readWithMetadata(file, JsonLimits.DEFAULT);
        InputSpec spec = InputSpec.fromMetadata(m.metadata(), file);
        return spec != null ? of(spark, m.model(), spec) : of(spark, m.model());
    }

    /**
     * Scores the images of a {@code binaryFile} DataFrame.
     *
     * @param images a DataFrame with columns {@code path} (string) and {@code content} (binary)
     * @return {@code images} with the columns {@code class}, {@code class_name} and {@code probabilities} added
     */
    public Dataset<Row> scoreImages(Dataset<Row> images) {
        return scoreImages(images, "path", "content");
    }

    /**
     * @param images        a DataFrame of encoded images
     * @param nameColumn    a string column naming each image in error messages (e.g. its path)
     * @param contentColumn the binary column of encoded images
     * @return {@code images} with the columns {@code class}, {@code class_name} and {@code probabilities} added
     */
    public Dataset<Row> scoreImages(Dataset<Row> images, String nameColumn, String contentColumn) {
        return expand(images, imageUdf.apply(images.col(nameColumn), images.col(contentColumn)));
    }

    /**
     * @param samples        a DataFrame with an {@code array<float>} (or {@code array<double>}) column of
     *                       preprocessed samples, {@code channels * height * width} values each
     * @param featuresColumn that column
     * @return {@code samples} with the columns {@code class}, {@code class_name} and {@code probabilities} added
     */
    public Dataset<Row> scoreFeatures(Dataset<Row> samples, String featuresColumn) {
        return expand(samples, featuresUdf.apply(samples.col(featuresColumn)));
    }

    private static Dataset<Row> expand(Dataset<Row> df, Column result) {
        String tmp = "__cnn4j_prediction";
        List<Column> cols = new ArrayList<>();
        for (String c : df.columns()) {
            cols.add(df.col(c));
        }
        cols.add(functions.col(tmp + ".class").as("class"));
        cols.add(functions.col(tmp + ".class_name").as("class_name"));
        cols.add(functions.col(tmp + ".probabilities").as("probabilities"));
        return df.withColumn(tmp, result).select(cols.toArray(Column[]::new));
    }

    /**
     * Registers SQL functions: {@code NAME(features array<float>)} and {@code NAME_image(path string,
     * content binary)}, each returning {@code struct<class int, class_name string, probabilities array<float>>}.
     *
     * @param name the function name
     */
    public void register(String name) {
        spark.udf().register(name, featuresUdf);
        spark.udf().register(name + "_image", imageUdf);
    }

    /** Array columns reach a Java UDF as a Scala sequence: its numbers as floats. */
    private static float[] floats(Object features) {
        if (features instanceof scala.collection.Seq<?> seq) {
            float[] out = new float[seq.size()];
            scala.collection.Iterator<?> it = seq.iterator();
            for (int i = 0; it.hasNext(); i++) {
                Object v = it.next();
                if (!(v instanceof Number n)) {
                    throw new IllegalArgumentException("features hold " + (v == null ? "a null" : v.getClass().getSimpleName())
                            + " at index " + i + ", expected numbers");
                }
                out[i] = n.floatValue();
            }
            return out;
        }
        throw new IllegalArgumentException("features must be an array<float> column, got " + features.getClass().getName());
    }

    /** Destroys the broadcast model and drops the driver's decoded copy. */
    @Override
    public void close() {
        prediction.release();
        model.destroy();
    }
}
