package io.github.cnn4j.spark;

import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/** A driver in the test JVM attached to a {@link StandaloneCluster}. */
final class ClusterSessions {
    private ClusterSessions() {
    }

    /**
     * @param cluster   the cluster
     * @param executors executors of one core each to wait for
     * @return a session whose executors have all registered
     */
    static SparkSession start(StandaloneCluster cluster, int executors) throws InterruptedException {
        SparkSession spark = SparkSession.builder().appName("cnn4j-cluster").master(cluster.masterUrl())
                .config("spark.executor.cores", "1")
                .config("spark.cores.max", Integer.toString(executors))
                .config("spark.executor.memory", "900m")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.extraClassPath", cluster.classDirectories())
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
            if (System.nanoTime() > end) {
                spark.stop();
                throw new IllegalStateException("only " + (spark.sparkContext().statusTracker().getExecutorInfos().length - 1) + " of "
                        + executors + " executors registered within 120 s");
            }
            Thread.sleep(200);
        }
        return spark;
    }
}
