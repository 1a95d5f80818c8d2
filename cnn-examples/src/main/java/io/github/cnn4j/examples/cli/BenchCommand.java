package io.github.cnn4j.examples.cli;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.examples.paper.Reproduction;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.kernel.Vectorization;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.model.Workspace;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.parallel.WorkerPool;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cnn4j bench}: training and inference throughput of the paper's models A-F on real MNIST.
 *
 * <p>Every measurement warms up first, then runs {@code --runs} times for about {@code --seconds}
 * each; the table shows the median and the spread (min-max). Training goes through the public
 * {@link Trainer} (plain SGD), inference through {@link Sequential#forward} on a batch-1 workspace
 * and through {@link Sequential#predict(Dataset, int)} on batches of 1000. Time and allocated bytes
 * are taken over a window that excludes set-up (the trainer's first steps, thread start), and the
 * bytes are summed over all threads with {@code com.sun.management.ThreadMXBean}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = {"Measure training and inference speed of the paper's models A-F on real MNIST.",
                "Measures per-sample SGD (1 thread), mini-batch 64 training (1 and N threads), inference (batch 1 and 1000, "
                        + "1 and N threads), achieved GFLOP/s and bytes allocated per training step. "
                        + "Prints a Markdown table (median and min-max of --runs runs), or JSON with --json.",
                "The full reproduction's wall time: run `cnn4j reproduce --quiet`; it prints it."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--models", paramLabel = "MODEL", split = ",", splitSynopsisLabel = ",", description = "Models to measure (default: all six).")
    List<String> models;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Timed runs per measurement (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1.0", description = "Length of one timed run (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "1.0", description = "Warm-up before each measurement (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Threads of the multi-threaded measurements (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--only", paramLabel = "KIND", split = ",", splitSynopsisLabel = ",",
            description = "Measurements to run (default: all): sgd, mb64, inf1, inf1000.")
    List<String> only;

    @Option(names = "--quick", description = "Short runs: --seconds 0.3 --warmup 0.5 (about 12 s per model).")
    boolean quick;

    @Option(names = "--json", description = "Print JSON instead of Markdown.")
    boolean json;

    /** One measurement's runs. */
    record Result(String model, String kind, int batch, int threads, String unit, double[] rates, double flopsPerSample,
                  double bytesPerStep, double cpuRate) {
        double median() {
            double[] s = rates.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        double min() {
            return Arrays.stream(rates).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(rates).max().orElse(Double.NaN);
        }

        double gflops() {
            return median() * flopsPerSample / 1e9;
        }
    }

    /** What one run did: samples, nanoseconds and bytes allocated inside the timed window, and optimizer steps. */
    record Window(long samples, long nanos, long bytes, long steps, long cpuNanos) {
        double rate() {
            return samples / (nanos / 1e9);
        }

        /** Samples per second of the process's CPU time: what the code does per busy core. */
        double cpuRate() {
            return samples / (cpuNanos / 1e9);
        }
    }

    /** A workload that processes about {@code samples} samples and reports its timed window. */
    interface Workload {
        Window run(int samples);
    }

    @Override
    public Integer call() throws IOException {
        if (quick) {
            seconds = 0.3;
            warmup = 0.5;
        }
        if (runs < 1 || threads < 1 || !(seconds > 0) || !(warmup >= 0)) {
            throw new IllegalArgumentException("--runs and --threads must be >= 1, --seconds > 0, --warmup >= 0");
        }
        List<String> letters = new ArrayList<>();
        for (String m : models == null ? Reproduction.ALL : models) {
            String l = m.trim().toUpperCase(Locale.ROOT);
            if (!Reproduction.ALL.contains(l)) {
                throw new IllegalArgumentException("--models: unknown model '" + m + "', expected some of " + Reproduction.ALL);
            }
            letters.add(l);
        }
        List<String> kinds = only == null ? List.of("sgd", "mb64", "inf1", "inf1000") : only;
        for (String k : kinds) {
            if (!List.of("sgd", "mb64", "inf1", "inf1000").contains(k)) {
                throw new IllegalArgumentException("--only: unknown measurement '" + k + "', expected some of sgd, mb64, inf1, inf1000");
            }
        }
        // The trainer logs every fit at INFO; a benchmark runs hundreds of them.
        System.setProperty("org.slf4j.simpleLogger.log.io.github.cnn4j.train", System.getProperty("org.slf4j.simpleLogger.log.io.github.cnn4j.train", "warn"));
        PrintWriter out = spec.commandLine().getOut();
        MnistData d = data.load();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        othersBefore = otherProcessesCores(1000);
        Path tmp = Files.createTempDirectory("cnn4j-bench");
        List<Result> results = new ArrayList<>();
        try {
            for (String l : letters) {
                Sequential model = Reproduction.config(l, tmp).buildModel();
                System.err.printf(Locale.ROOT, "bench: model %s ...%n", l);
                if (kinds.contains("sgd")) {
                    results.add(measure(l, "train", 1, 1, "samples/s", model.trainingFlops(), train(model, d.train(), 1, 1)));
                }
                if (kinds.contains("mb64")) {
                    results.add(measure(l, "train", 64, 1, "samples/s", model.trainingFlops(), train(model, d.train(), 64, 1)));
                    if (threads > 1) {
                        results.add(measure(l, "train", 64, threads, "samples/s", model.trainingFlops(), train(model, d.train(), 64, threads)));
                    }
                }
                if (kinds.contains("inf1")) {
                    results.add(measure(l, "infer", 1, 1, "images/s", model.flops(), inferSingle(model, d.test(), 1)));
                    if (threads > 1) {
                        results.add(measure(l, "infer", 1, threads, "images/s", model.flops(), inferSingle(model, d.test(), threads)));
                    }
                }
                if (kinds.contains("inf1000")) {
                    results.add(measure(l, "infer", 1000, 1, "images/s", model.flops(), inferBatch(model, d.test(), 1000, 1)));
                    if (threads > 1) {
                        results.add(measure(l, "infer", 1000, threads, "images/s", model.flops(), inferBatch(model, d.test(), 1000, threads)));
                    }
                }
            }
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(tmp);
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        othersDuring = otherProcessesCores(0);
        out.print(json ? json(results, loadBefore, loadAfter) : markdown(results, letters, loadBefore, loadAfter));
        out.flush();
        return 0;
    }

    /** The first measurement of a run also waits for the JIT to compile the shared kernels. */
    private boolean first = true;

    private Result measure(String model, String kind, int batch, int threads, String unit, long flops, Workload w) {
        // Warm-up: grow the run length until the warm-up time is spent; it also calibrates the rate.
        int n = Math.max(batch, 64);
        long spent = 0;
        double rate = Double.NaN;
        double warm = warmup + (first ? 1.5 : 0);
        first = false;
        do {
            long t0 = System.nanoTime();
            Window win = w.run(n);
            spent += System.nanoTime() - t0;
            rate = win.rate();
            n = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(n * 2L, (long) (rate * 0.25)));
        } while (spent < warm * 1e9);
        int perRun = (int) Math.max(Math.max(batch, 64), Math.min(Integer.MAX_VALUE / 2, (long) (rate * seconds)));
        double[] rates = new double[runs];
        double[] cpuRates = new double[runs];
        long bytes = 0;
        long steps = 0;
        for (int r = 0; r < runs; r++) {
            Window win = w.run(perRun);
            rates[r] = win.rate();
            cpuRates[r] = win.cpuRate();
            bytes += win.bytes();
            steps += win.steps();
        }
        Arrays.sort(cpuRates);
        return new Result(model, kind, batch, threads, unit, rates, flops, steps == 0 ? Double.NaN : (double) bytes / steps,
                cpuRates[runs / 2]);
    }

    // ---------------------------------------------------------------- workloads

    /** Training through the public Trainer; the window runs from step {@code skip} to the last step. */
    private static Workload train(Sequential model, Dataset train, int batch, int threads) {
        return samples -> {
            int epochs = (samples + train.size() - 1) / train.size();
            int perEpoch = Math.min(train.size(), Math.max(batch, samples / epochs));
            Dataset part = train.subset(0, perEpoch);
            long stepsPerEpoch = (perEpoch + batch - 1) / batch;
            long totalSteps = stepsPerEpoch * epochs;
            long skip = Math.max(1, totalSteps / 20);
            WindowListener win = new WindowListener(skip, totalSteps, batch, perEpoch);
            Trainer.builder(model).optimizer(new Sgd(0.01)).batchSize(batch).threads(threads).epochs(epochs)
                    .shuffle(ShuffleMode.FULL).listener(win).build().fit(part);
            return win.window();
        };
    }

    /** Batch-1 inference: each thread forwards its own images one at a time through its own workspace. */
    private static Workload inferSingle(Sequential model, Dataset test, int threads) {
        Workspace[] spaces = new Workspace[threads];
        for (int t = 0; t < threads; t++) {
            spaces[t] = model.newWorkspace(1);
        }
        return samples -> {
            int per = (samples + threads - 1) / threads;
            Allocation a = new Allocation();
            try (WorkerPool pool = new WorkerPool(threads)) {
                long t0 = a.start();
                pool.run(threads, (worker, task) -> {
                    Workspace ws = spaces[worker];
                    int size = test.size();
                    int from = (task * 7919) % size;
                    for (int i = 0; i < per; i++) {
                        test.copyBatch((from + i) % size, 1, ws.input().data(), ws.labels());
                        model.forward(ws, 1, false);
                    }
                });
                return a.stop(t0, (long) per * threads, (long) per * threads);
            }
        };
    }

    /** Batched inference through {@link Sequential#predict(Dataset, int)} on consecutive batches of the test set. */
    private static Workload inferBatch(Sequential model, Dataset test, int batch, int threads) {
        int count = test.size() / batch;
        Dataset[] batches = new Dataset[count];
        for (int b = 0; b < count; b++) {
            batches[b] = test.subset(b * batch, (b + 1) * batch);
        }
        return samples -> {
            int calls = Math.max(1, (samples + batch - 1) / batch);
            Allocation a = new Allocation();
            long t0 = a.start();
            float sink = 0;
            for (int c = 0; c < calls; c++) {
                sink += model.predict(batches[c % count], threads)[0];
            }
            if (sink == 42.4242f) {
                System.err.print("");
            }
            return a.stop(t0, (long) calls * batch, calls);
        };
    }

    /** Bytes allocated by all live threads between {@link #start} and {@link #stop}. */
    static final class Allocation {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private long[] ids;
        private long[] before;
        private long cpuBefore;

        long start() {
            ids = THREADS.getAllThreadIds();
            before = THREADS.getThreadAllocatedBytes(ids);
            cpuBefore = OS.getProcessCpuTime();
            return System.nanoTime();
        }

        /** Bytes count the threads alive at {@link #start}; CPU time is the whole process's (threads started later included). */
        Window stop(long t0, long samples, long steps) {
            long nanos = System.nanoTime() - t0;
            long cpu = OS.getProcessCpuTime() - cpuBefore;
            long[] after = THREADS.getThreadAllocatedBytes(ids);
            long bytes = 0;
            for (int i = 0; i < ids.length; i++) {
                if (before[i] >= 0 && after[i] >= 0) {
                    bytes += after[i] - before[i];
                }
            }
            return new Window(samples, nanos, bytes, steps, cpu);
        }
    }

    /** Opens the timed window at step {@code skip} and closes it at the last step; counts samples in between. */
    static final class WindowListener implements TrainingListener {
        private final long skip;
        private final long total;
        private final int batch;
        private final int perEpoch;
        private final Allocation alloc = new Allocation();
        private long step;
        private long t0;
        private long samples;
        private int lastInEpoch;
        private Window window;

        WindowListener(long skip, long total, int batch, int perEpoch) {
            this.skip = skip;
            this.total = total;
            this.batch = batch;
            this.perEpoch = perEpoch;
        }

        @Override
        public void onStep(int epoch, int samplesInEpoch, double meanLoss) {
            step++;
            int done = samplesInEpoch >= lastInEpoch ? samplesInEpoch - lastInEpoch : samplesInEpoch;
            lastInEpoch = samplesInEpoch;
            if (step == skip) {
                samples = 0;
                t0 = alloc.start();
            } else if (step > skip) {
                samples += done;
            }
            if (step == total) {
                // The worker threads are found by the thread snapshot taken at step `skip`, when they were alive.
                window = alloc.stop(t0, samples, step - skip);
            }
        }

        Window window() {
            if (window == null) {
                throw new IllegalStateException("the timed window never closed (" + step + " of " + total + " steps, batch "
                        + batch + ", " + perEpoch + " samples per epoch)");
            }
            return window;
        }
    }

    // ---------------------------------------------------------------- contention

    /** Cores that other processes used before the run (sampled for 1 s) and during it; NaN where the JVM cannot tell. */
    private double othersBefore = Double.NaN;
    private double othersDuring = Double.NaN;
    /** Other processes using more than this many cores make the figures "measured under contention". */
    static final double CONTENTION_CORES = 0.3;

    /**
     * How many cores other processes kept busy since the previous call (the JDK's system and
     * process CPU load are both averages since their previous call), after waiting
     * {@code sampleMillis} (0: no wait, the span since the previous call).
     */
    private static double otherProcessesCores(long sampleMillis) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
            return Double.NaN;
        }
        if (sampleMillis > 0) {
            os.getCpuLoad();
            os.getProcessCpuLoad();
            try {
                Thread.sleep(sampleMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }
        double system = os.getCpuLoad();
        double process = os.getProcessCpuLoad();
        if (system < 0 || process < 0) {
            return Double.NaN;
        }
        return Math.max(0, system - process) * os.getAvailableProcessors();
    }

    private boolean contended() {
        return othersBefore > CONTENTION_CORES || othersDuring > CONTENTION_CORES;
    }

    // ---------------------------------------------------------------- output

    private String markdown(List<Result> results, List<String> letters, double loadBefore, double loadAfter) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "cnn4j bench: %d core(s), %s %s, %d run(s) of %.1f s after %.1f s warm-up, load average %.2f -> %.2f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                runs, seconds, warmup, loadBefore, loadAfter));
        sb.append(String.format(Locale.ROOT, "Other processes: %.2f core(s) busy in the second before, %.2f on average during the run%s%n%n",
                othersBefore, othersDuring,
                contended() ? " (MEASURED UNDER CONTENTION: the figures are low)" : ""));
        sb.append("Kernels: ").append(Vectorization.describe()).append(String.format(Locale.ROOT, "%n%n"));
        List<String[]> cols = new ArrayList<>();
        for (Result r : results) {
            String[] key = {r.kind(), String.valueOf(r.batch()), String.valueOf(r.threads())};
            if (cols.stream().noneMatch(c -> Arrays.equals(c, key))) {
                cols.add(key);
            }
        }
        sb.append("Throughput, median (min-max): training in samples/s, inference in images/s.\n\n| Model |");
        for (String[] c : cols) {
            sb.append(' ').append(c[0]).append(" b").append(c[1]).append(' ').append(c[2]).append("T |");
        }
        sb.append("\n| --- |");
        sb.append(" ---: |".repeat(cols.size()));
        sb.append('\n');
        for (String l : letters) {
            sb.append("| ").append(l).append(" |");
            for (String[] c : cols) {
                Result r = find(results, l, c);
                sb.append(' ').append(r == null ? "" : String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", r.median(), r.min(), r.max())).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nPer CPU-second (samples or images per second of the process's CPU time, median): what the code does per busy core, ")
                .append("which holds up better than the wall-clock rate when other processes share the cores.\n\n| Model |");
        for (String[] c : cols) {
            sb.append(' ').append(c[0]).append(" b").append(c[1]).append(' ').append(c[2]).append("T |");
        }
        sb.append("\n| --- |");
        sb.append(" ---: |".repeat(cols.size()));
        sb.append('\n');
        for (String l : letters) {
            sb.append("| ").append(l).append(" |");
            for (String[] c : cols) {
                Result r = find(results, l, c);
                sb.append(' ').append(r == null ? "" : String.format(Locale.ROOT, "%,.0f", r.cpuRate())).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nGFLOP/s (median; training counts forward + backward FLOPs, see docs/performance.md), ")
                .append("speed-up of ").append(threads).append(" threads over 1, and bytes allocated per training step (all threads).\n\n| Model |");
        for (String[] c : cols) {
            sb.append(" GFLOP/s ").append(c[0]).append(" b").append(c[1]).append(' ').append(c[2]).append("T |");
        }
        sb.append(" speed-up train b64 | speed-up infer b1000 | bytes/step b1 | bytes/step b64 1T | bytes/step b64 ").append(threads).append("T |\n| --- |");
        sb.append(" ---: |".repeat(cols.size() + 5));
        sb.append('\n');
        for (String l : letters) {
            sb.append("| ").append(l).append(" |");
            for (String[] c : cols) {
                Result r = find(results, l, c);
                sb.append(' ').append(r == null ? "" : String.format(Locale.ROOT, "%.2f", r.gflops())).append(" |");
            }
            sb.append(' ').append(speedup(results, l, "train", 64)).append(" |");
            sb.append(' ').append(speedup(results, l, "infer", 1000)).append(" |");
            sb.append(' ').append(bytes(find(results, l, new String[] {"train", "1", "1"}))).append(" |");
            sb.append(' ').append(bytes(find(results, l, new String[] {"train", "64", "1"}))).append(" |");
            sb.append(' ').append(bytes(find(results, l, new String[] {"train", "64", String.valueOf(threads)}))).append(" |\n");
        }
        return sb.toString();
    }

    private static String bytes(Result r) {
        return r == null || Double.isNaN(r.bytesPerStep()) ? "" : String.format(Locale.ROOT, "%,.0f", r.bytesPerStep());
    }

    private String speedup(List<Result> results, String l, String kind, int batch) {
        Result one = find(results, l, new String[] {kind, String.valueOf(batch), "1"});
        Result many = find(results, l, new String[] {kind, String.valueOf(batch), String.valueOf(threads)});
        return one == null || many == null || threads == 1 ? "" : String.format(Locale.ROOT, "%.2fx", many.median() / one.median());
    }

    private static Result find(List<Result> results, String model, String[] key) {
        for (Result r : results) {
            if (r.model().equals(model) && r.kind().equals(key[0]) && String.valueOf(r.batch()).equals(key[1])
                    && String.valueOf(r.threads()).equals(key[2])) {
                return r;
            }
        }
        return null;
    }

    private String json(List<Result> results, double loadBefore, double loadAfter) {
        StringBuilder sb = new StringBuilder("{\n");
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("cores", Runtime.getRuntime().availableProcessors());
        head.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        head.put("vectorKernels", Vectorization.enabled());
        head.put("kernels", Vectorization.describe());
        head.put("runs", runs);
        head.put("secondsPerRun", seconds);
        head.put("warmupSeconds", warmup);
        head.put("loadAverageBefore", loadBefore);
        head.put("loadAverageAfter", loadAfter);
        head.put("otherProcessesCoresBefore", othersBefore);
        head.put("otherProcessesCoresDuring", othersDuring);
        head.put("underContention", contended());
        for (Map.Entry<String, Object> e : head.entrySet()) {
            sb.append("  \"").append(e.getKey()).append("\": ").append(value(e.getValue())).append(",\n");
        }
        sb.append("  \"results\": [\n");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            sb.append(String.format(Locale.ROOT,
                    "    {\"model\": \"%s\", \"kind\": \"%s\", \"batch\": %d, \"threads\": %d, \"unit\": \"%s\", \"median\": %.1f, \"min\": %.1f, \"max\": %.1f, "
                            + "\"runs\": %s, \"perCpuSecond\": %.1f, \"flopsPerSample\": %.0f, \"gflops\": %.3f, \"bytesPerStep\": %s}%s%n",
                    r.model(), r.kind(), r.batch(), r.threads(), r.unit(), r.median(), r.min(), r.max(), runsJson(r.rates()),
                    r.cpuRate(), r.flopsPerSample(), r.gflops(), Double.isNaN(r.bytesPerStep()) ? "null" : String.format(Locale.ROOT, "%.1f", r.bytesPerStep()),
                    i + 1 < results.size() ? "," : ""));
        }
        sb.append("  ]\n}\n");
        return sb.toString();
    }

    private static String runsJson(double[] rates) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rates.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", rates[i]));
        }
        return sb.append(']').toString();
    }

    private static String value(Object v) {
        if (v instanceof String) {
            return "\"" + ((String) v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (v instanceof Double) {
            double d = (Double) v;
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.2f", d) : "null";
        }
        return String.valueOf(v);
    }
}
