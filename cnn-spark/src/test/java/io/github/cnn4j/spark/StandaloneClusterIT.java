package io.github.cnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.RandomAffine;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a real standalone cluster (master and two one-core workers as separate JVMs, executors started
 * by the workers): an executor process killed in the middle of training does not change the final
 * weights, which equal the single-machine trainer's bit for bit. Run by {@code mvn -Pcluster verify}.
 */
class StandaloneClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneClusterIT.class);
    private static final int SAMPLES = 2000;
    private static final int BATCH = 100;

    private static Sequential net() {
        return Sequential.of(new Conv(5, 5, 4), new ReLU(), new MaxPool(2), new Flatten(), new Dense(24), new ReLU(),
                new Dropout(0.25), new Dense(10), new Softmax()).input(1, 28, 28).seed(11).build();
    }

    private static Trainer.Builder trainer(Sequential model) {
        return Trainer.builder(model).optimizer(new Adam(0.002)).batchSize(BATCH).epochs(2).seed(5)
                .augmentation(new RandomAffine(2, 10));
    }

    @Test
    void aKilledExecutorDoesNotChangeTheWeights(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        Dataset train = SparkTests.train(SAMPLES);
        Sequential local = net();
        trainer(local).build().fit(train);

        AtomicReference<ProcessHandle> killed = new AtomicReference<>();
        Sequential distributed = net();
        try (StandaloneCluster cluster = new StandaloneCluster(dir, 2, 1, "1g")) {
            SparkSession spark = ClusterSessions.start(cluster, 2);
            try {
                assertEquals(2, cluster.executors().size(), "executor processes of the workers");
                TrainingListener killer = new TrainingListener() {
                    @Override
                    public void onStep(int epoch, int position, double loss) {
                        if (epoch == 1 && position == 10 * BATCH && killed.get() == null) {
                            // 50 ms into the next step's job: tasks are running and the epoch's cached blocks are lost
                            Thread t = new Thread(() -> {
                                try {
                                    Thread.sleep(50);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                killed.set(cluster.killOneExecutor().orElse(null));
                            });
                            t.start();
                        }
                    }
                };
                SparkGradients source = SparkGradients.builder(JavaSparkContext.fromSparkContext(spark.sparkContext())).partitions(2)
                        .augmentation(() -> new RandomAffine(2, 10)).build();
                trainer(distributed).listener(killer).stepGradients(source).build().fit(train);
                assertEquals(2L * SAMPLES / BATCH, source.steps());
            } finally {
                spark.stop();
            }
        }
        assertNotNull(killed.get(), "no executor was killed");
        assertTrue(killed.get().onExit().isDone() || !killed.get().isAlive(), "the executor survived");
        for (int i = 0; i < local.parameters().size(); i++) {
            assertArrayEquals(local.parameters().get(i).value(), distributed.parameters().get(i).value(),
                    "parameter " + local.parameters().get(i));
        }
        LOG.info("standalone cluster test with a killed executor: {} s", (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
