package io.github.cnn4j.spark;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.io.mnist.MnistVariant;
import java.io.IOException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;

/**
 * The test JVM's one Spark session ({@code local[2,4]}: two executor threads, a failed task is tried
 * up to four times) and the real MNIST (fetched and verified once; tests are skipped when it cannot be).
 */
final class SparkTests {
    private static SparkSession spark;
    private static MnistData mnist;
    private static String mnistProblem;

    private SparkTests() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().appName("cnn4j-spark-tests").master("local[2,4]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(spark().sparkContext());
    }

    static synchronized MnistData mnist() {
        if (mnist == null && mnistProblem == null) {
            try {
                mnist = MnistLoader.load(MnistFetcher.builder(MnistVariant.MNIST).mirrors(List.of()).build().fetch());
            } catch (IOException | RuntimeException e) {
                mnistProblem = e.toString();
            }
        }
        String problem = mnistProblem;
        Assumptions.assumeTrue(mnist != null, () -> "the real MNIST is not available (not cached and cannot be fetched): " + problem);
        return mnist;
    }

    static Dataset train(int n) {
        return mnist().train().subset(0, n);
    }

    static Dataset test(int n) {
        return mnist().test().subset(0, n);
    }
}
