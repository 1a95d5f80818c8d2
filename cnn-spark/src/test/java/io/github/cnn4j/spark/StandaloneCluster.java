package io.github.cnn4j.spark;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Spark standalone cluster on this machine for the integration tests and the benchmark: a
 * master and workers as separate JVM processes, started from the test's class path (the Spark jars
 * that Maven resolved; nothing is downloaded). A {@code SPARK_HOME} whose {@code jars/} links those
 * jars lets the workers launch executors; the cnn4j classes reach the executors through
 * {@code spark.executor.extraClassPath}. Every process started here is stopped by {@link #close()}.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneCluster.class);
    /** What Spark's launcher adds on Java 17 (JavaModuleOptions); the pom passes the same to the test JVM. */
    static final List<String> JVM_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions", "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true");

    private final Path home;
    private final List<String> jars = new ArrayList<>();
    private final List<String> dirs = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final int masterPort;

    /**
     * Starts a master and {@code workers} workers of {@code cores} cores each, and waits until the
     * master accepts connections.
     */
    StandaloneCluster(Path dir, int workers, int cores, String workerMemory) throws IOException, InterruptedException {
        this.home = dir.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        for (String e : classPath()) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                dirs.add(p.toAbsolutePath().toString());
            } else if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                jars.add(p.toAbsolutePath().toString());
                Path link = home.resolve("jars").resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        this.masterPort = freePort();
        int masterUi = freePort();
        start("master", dir, List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(masterUi)));
        waitForPort(masterPort, 60);
        for (int w = 0; w < workers; w++) {
            Process p = start("worker-" + w, dir, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                    Integer.toString(cores), "--memory", workerMemory, "--webui-port", Integer.toString(freePort()),
                    "--work-dir", dir.resolve("work-" + w).toString(), masterUrl()));
            this.workers.add(p);
        }
        LOG.info("standalone cluster: master {}, {} worker(s) of {} core(s), SPARK_HOME {}", masterUrl(), workers, cores, home);
    }

    /** The test JVM's class path: surefire/failsafe name it in a property when they start the JVM from a manifest jar. */
    private static List<String> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.asList(cp.split(File.pathSeparator));
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** @return the class directories of the test's class path (cnn4j's classes, for the executors) */
    String classDirectories() {
        return String.join(File.pathSeparator, dirs);
    }

    private Process start(String name, Path dir, List<String> main) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(JVM_OPTIONS);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, jars));
        cmd.addAll(main);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_CONF_DIR", home.resolve("conf").toString());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** @return the executor processes (CoarseGrainedExecutorBackend) that this cluster's workers started */
    List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Process w : workers) {
            w.descendants().filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).forEach(out::add);
        }
        return out;
    }

    /** Kills one executor process of this cluster (SIGKILL), as a crashed machine would vanish. */
    Optional<ProcessHandle> killOneExecutor() {
        List<ProcessHandle> ex = executors();
        if (ex.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle h = ex.get(0);
        LOG.info("killing executor process {}", h.pid());
        h.destroyForcibly();
        return Optional.of(h);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, int seconds) throws InterruptedException, IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException("the Spark master did not open port " + port + " within " + seconds + " s");
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
