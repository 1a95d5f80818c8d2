package io.github.cnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.io.image.ImageFolderWriter;
import io.github.cnn4j.io.json.InputSpec;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch inference over a {@code binaryFile} DataFrame of real MNIST test images written as PNG files,
 * and over an {@code array<float>} column, against {@link Sequential#predict(float[])} on the same images.
 */
class SparkScorerTest {
    private static final int IMAGES = 60;
    private static final ClassNames DIGITS = ClassNames.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    @TempDir
    static Path dir;
    private static Sequential model;
    private static io.github.cnn4j.data.Dataset test;

    @BeforeAll
    static void trainAndWrite() throws IOException {
        model = Sequential.of(new Conv(5, 5, 4), new ReLU(), new MaxPool(2), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(3).build();
        Trainer.builder(model).optimizer(new Adam(0.003)).batchSize(32).epochs(1).seed(3).build().fit(SparkTests.train(2000));
        test = SparkTests.test(IMAGES);
        assertEquals(IMAGES, ImageFolderWriter.write(test, dir.resolve("png")));
    }

    /** @return expected outputs by file name: the model's prediction on the MNIST sample the file was written from */
    private static Map<String, float[]> expected() throws IOException {
        // ImageFolderWriter names files by dataset index inside class folders
        Map<String, float[]> byName = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir.resolve("png"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                int index = Integer.parseInt(f.getFileName().toString().replaceAll("\\D", ""));
                byName.put(f.getParent().getFileName() + "/" + f.getFileName(), model.predict(test.image(index)));
            }
        }
        assertEquals(IMAGES, byName.size());
        return byName;
    }

    private static String key(String path) {
        String[] parts = path.split("/");
        return parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    private static Dataset<Row> images(SparkSession spark) {
        return spark.read().format("binaryFile").option("pathGlobFilter", "*.png").option("recursiveFileLookup", "true")
                .load(dir.resolve("png").toString()).repartition(2);
    }

    @Test
    void binaryFileImagesGetTheClassesOfSequentialPredict() throws IOException {
        SparkSession spark = SparkTests.spark();
        Map<String, float[]> expected = expected();
        InputSpec spec = new InputSpec(DIGITS, 1, 28, 28, "EXACT", null, null);
        try (SparkScorer scorer = SparkScorer.of(spark, model, spec)) {
            List<Row> rows = scorer.scoreImages(images(spark)).select("path", "class", "class_name", "probabilities").collectAsList();
            assertEquals(IMAGES, rows.size());
            int correct = 0;
            for (Row r : rows) {
                float[] want = expected.get(key(r.getString(0)));
                assertNotNull(want, r.getString(0));
                int cls = Sequential.argmax(want, 0, want.length);
                assertEquals(cls, r.getInt(1), r.getString(0));
                assertEquals(DIGITS.name(cls), r.getString(2));
                List<Float> probs = r.getList(3);
                float[] got = new float[probs.size()];
                for (int i = 0; i < got.length; i++) {
                    got[i] = probs.get(i);
                }
                // PNG bytes decode to v / 255 exactly as the MNIST loader reads them: the same bits
                assertArrayEquals(want, got, r.getString(0));
                if (r.getString(0).contains("/" + DIGITS.name(cls) + "/") || r.getString(0).contains("/" + cls + "/")) {
                    correct++;
                }
            }
            assertTrue(correct > IMAGES * 0.7, "a trained model should get most digits right: " + correct + " of " + IMAGES);
        }
    }

    @Test
    void sqlFunctionsAndFeatureArrays() throws IOException {
        SparkSession spark = SparkTests.spark();
        Map<String, float[]> expected = expected();
        try (SparkScorer scorer = SparkScorer.of(spark, model)) {
            scorer.register("digit");
            images(spark).createOrReplaceTempView("mnist_png");
            List<Row> rows = spark.sql("SELECT path, digit_image(path, content).class AS c, digit_image(path, content).class_name AS n "
                    + "FROM mnist_png").collectAsList();
            assertEquals(IMAGES, rows.size());
            for (Row r : rows) {
                float[] want = expected.get(key(r.getString(0)));
                assertEquals(Sequential.argmax(want, 0, want.length), r.getInt(1), r.getString(0));
                assertEquals(Integer.toString(r.getInt(1)), r.getString(2), "numbered class names without a spec");
            }

            List<Row> samples = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) {
                float[] x = test.image(i);
                List<Float> l = new ArrayList<>(x.length);
                for (float v : x) {
                    l.add(v);
                }
                samples.add(RowFactory.create(i, l));
            }
            StructType schema = new StructType().add("id", DataTypes.IntegerType)
                    .add("features", DataTypes.createArrayType(DataTypes.FloatType));
            Dataset<Row> df = spark.createDataFrame(samples, schema).repartition(2);
            List<Row> scored = scorer.scoreFeatures(df, "features").select("id", "class").collectAsList();
            assertEquals(IMAGES, scored.size());
            for (Row r : scored) {
                assertEquals(model.classify(test.image(r.getInt(0))), r.getInt(1), "sample " + r.getInt(0));
            }
            df.createOrReplaceTempView("mnist_features");
            Row one = spark.sql("SELECT digit(features).class FROM mnist_features WHERE id = 7").first();
            assertEquals(model.classify(test.image(7)), one.getInt(0));
        }
    }

    @Test
    void aBadImageFailsNamingItsFile() throws IOException {
        SparkSession spark = SparkTests.spark();
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.write(bad.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        try (SparkScorer scorer = SparkScorer.of(spark, model)) {
            Dataset<Row> df = spark.read().format("binaryFile").load(bad.toString());
            SparkException e = assertThrows(SparkException.class, () -> scorer.scoreImages(df).collectAsList());
            String all = e.toString() + (e.getCause() == null ? "" : e.getCause().toString());
            assertTrue(all.contains("broken.png"), all);
        }
    }
}
