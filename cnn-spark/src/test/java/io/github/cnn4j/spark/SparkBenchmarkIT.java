package io.github.cnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark benchmark (docs/distributed.md): the modern network (cnn-examples/configs/modern.json),
 * global batch 256, trained on real MNIST by the single-machine trainer (1 thread) and on a standalone
 * cluster of 1 executor and of 2 executors with one core each; then the same with a dense layer of
 * 1024 units (7x the parameters) to show how the step time grows with the parameters. Epoch 1 warms
 * up (JIT, the epoch's placement); epochs 2 and 3 are measured. Writes
 * {@code cnn-spark/target/spark-benchmark.md}. Runs only with
 * {@code mvn -B -Pcluster -pl cnn-spark -am verify -Dcnn4j.spark.bench=true -Dit.test=SparkBenchmarkIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SparkBenchmarkIT {
    private static final Logger LOG = LoggerFactory.getLogger(SparkBenchmarkIT.class);
    private static final int BATCH = 256;
    private static final int STEPS_PER_EPOCH = 12;
    private static final int EPOCHS = 3;

    /** One measured configuration. */
    private record Row(String model, long params, String where, double samplesPerSecond, double stepMs, double sparkJobMs,
                       double kernelMs, double reduceMs, double emptyJobMs) {
    }

    /** The modern network with {@code units} in its hidden dense layer (modern.json has 128). */
    private static Sequential modern(int units) {
        return Sequential.of(new Conv(5, 5, 8), new BatchNorm(), new ReLU(), new MaxPool(2), new Conv(5, 5, 16), new BatchNorm(),
                new ReLU(), new MaxPool(2), new Flatten(), new Dense(units), new BatchNorm(), new ReLU(), new Dropout(0.3), new Dense(10),
                new Softmax()).input(1, 28, 28).seed(1).init(InitPreset.MODERN).build();
    }

    /** Times epochs 2.. of a run: the steps' wall time, from the end of one step to the end of the next. */
    private static final class Clock implements TrainingListener {
        long last;
        long measured;
        int steps;
        Runnable atEpoch2;

        @Override
        public void onStep(int epoch, int position, double loss) {
            long now = System.nanoTime();
            if (epoch >= 2 && position > BATCH) { // the epoch's first step also places its samples (a shuffle)
                measured += now - last;
                steps++;
            }
            last = now;
        }

        @Override
        public void onEpoch(EpochStats e) {
            if (e.epoch() == 1 && atEpoch2 != null) {
                atEpoch2.run();
            }
            last = System.nanoTime(); // evaluation and batch-norm statistics are not step time
        }
    }

    private static Trainer.Builder trainer(Sequential m, Clock clock) {
        return Trainer.builder(m).optimizer(new Adam(0.003)).batchSize(BATCH).epochs(EPOCHS).seed(1)
                .augmentation(new RandomAffine(2, 10)).listener(clock);
    }

    private static Row local(String name, Supplier<Sequential> net, Dataset train) {
        Clock clock = new Clock();
        Sequential m = net.get();
        trainer(m, clock).build().fit(train);
        double step = clock.measured / 1e6 / clock.steps;
        return new Row(name, m.parameterCount(), "Trainer, 1 thread", BATCH / (step / 1000), step, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN);
    }

    private static Row cluster(String name, Supplier<Sequential> net, Dataset train, Path dir, int executors)
            throws IOException, InterruptedException {
        try (StandaloneCluster cluster = new StandaloneCluster(dir.resolve(name + "-" + executors), executors, 1, "1g")) {
            SparkSession spark = ClusterSessions.start(cluster, executors);
            try {
                SparkGradients source = SparkGradients.builder(JavaSparkContext.fromSparkContext(spark.sparkContext()))
                        .partitions(executors).augmentation(() -> new RandomAffine(2, 10)).build();
                long[] at2 = new long[4];
                Clock clock = new Clock();
                clock.atEpoch2 = () -> {
                    at2[0] = source.stepNanos();
                    at2[1] = source.kernelNanos();
                    at2[2] = source.reduceNanos();
                    at2[3] = source.steps();
                };
                Sequential m = net.get();
                trainer(m, clock).stepGradients(source).build().fit(train);
                long steps = source.steps() - at2[3];
                double step = clock.measured / 1e6 / clock.steps;
                return new Row(name, m.parameterCount(), executors + " executor(s) x 1 core", BATCH / (step / 1000), step,
                        (source.stepNanos() - at2[0]) / 1e6 / steps, (source.kernelNanos() - at2[1]) / 1e6 / steps,
                        (source.reduceNanos() - at2[2]) / 1e6 / steps, emptyJobMs(spark, executors));
            } finally {
                spark.stop();
            }
        }
    }

    @Test
    void benchmark(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("cnn4j.spark.bench"), "the benchmark runs with -Dcnn4j.spark.bench=true");
        Path config = Path.of(System.getProperty("cnn4j.repoRoot", "..")).resolve("cnn-examples/configs/modern.json");
        Sequential fromConfig = NativeModelFormat.readArchitecture(config).model();
        assertEquals(fromConfig.parameterCount(), modern(128).parameterCount(), "modern(128) is modern.json's architecture");
        Dataset train = SparkTests.train(BATCH * STEPS_PER_EPOCH);
        String loadAtStart = load();
        List<Row> rows = new ArrayList<>();
        rows.add(local("modern", () -> modern(128), train));
        rows.add(cluster("modern", () -> modern(128), train, dir, 1));
        rows.add(cluster("modern", () -> modern(128), train, dir, 2));
        rows.add(local("modern-dense1024", () -> modern(1024), train));
        rows.add(cluster("modern-dense1024", () -> modern(1024), train, dir, 1));
        rows.add(cluster("modern-dense1024", () -> modern(1024), train, dir, 2));

        StringBuilder md = new StringBuilder();
        md.append("| model | parameters | run | samples/s | ms/step | Spark job ms/step | kernels ms/step (slowest partition) "
                + "| driver reduce ms/step | empty job ms |\n|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.1f | %s | %s | %s | %s |%n", r.model(), r.params(), r.where(),
                    r.samplesPerSecond(), r.stepMs(), fmt(r.sparkJobMs()), fmt(r.kernelMs()), fmt(r.reduceMs()), fmt(r.emptyJobMs())));
        }
        md.append(String.format(Locale.ROOT, "%nspeed-up 2 vs 1 executor: modern %.2fx, modern-dense1024 %.2fx%n",
                rows.get(2).samplesPerSecond() / rows.get(1).samplesPerSecond(), rows.get(5).samplesPerSecond() / rows.get(4).samplesPerSecond()));
        md.append(String.format(Locale.ROOT, "load average at the start: %s; at the end: %s (%d cores)%n", loadAtStart,
                load(), Runtime.getRuntime().availableProcessors()));
        Path out = Path.of("target", "spark-benchmark.md");
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        LOG.info("Spark benchmark ({}):\n{}", out.toAbsolutePath(), md);
    }

    /** @return the median wall time of a Spark job with one trivial task per executor: the scheduling floor of a step */
    private static double emptyJobMs(SparkSession spark, int executors) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> one = new ArrayList<>();
        for (int i = 0; i < executors; i++) {
            one.add(i);
        }
        double[] ms = new double[21];
        for (int r = 0; r < ms.length; r++) {
            long t0 = System.nanoTime();
            jsc.parallelize(one, executors).map(x -> x + 1).collect();
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static String load() throws IOException {
        Path p = Path.of("/proc/loadavg");
        return Files.isReadable(p) ? Files.readString(p, StandardCharsets.US_ASCII).trim() : "unknown";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
