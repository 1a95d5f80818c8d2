package io.github.cnn4j.examples.cli;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.examples.paper.Reproduction;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.mnist.MnistData;
import io.github.cnn4j.kernel.DenseKernels;
import io.github.cnn4j.kernel.Vectorization;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.model.Workspace;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.parallel.WorkerPool;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.train.ShuffleMode;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cnn4j bench}: training and inference throughput of the paper's models A-F, the modern
 * network ({@code MODERN}) and any native architecture file ({@code --model FILE.json}) on real MNIST.
 *
 * <p>Every measurement warms up first, then runs {@code --runs} times for about {@code --seconds}
 * each; the table shows the median and the spread (min-max). Training goes through the public
 * {@link Trainer} (plain SGD), inference through {@link Sequential#forward} on a batch-1 workspace
 * and through {@link Sequential#predict(Dataset, int)} on batches of 1000. Time and allocated bytes
 * are taken over a window that excludes set-up (the trainer's first steps, thread start), and the
 * bytes are summed over all threads with {@code com.sun.management.ThreadMXBean}.
 *
 * <p>The {@code profile} measurement runs the same training (batch 64, one thread) and batch
 * inference on a copy of the model whose layers are wrapped in a stopwatch ({@link ProfiledLayer}),
 * and prints the time per sample of every layer's forward and backward pass and the rest of the step.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = {"Measure training and inference speed on real MNIST: the paper's models A-F, the modern network "
                        + "(MODERN) or any native architecture (--model FILE.json).",
                "Measures per-sample SGD (1 thread), mini-batch 64 training (1 and N threads), inference (batch 1 and 1000, "
                        + "1 and N threads), achieved GFLOP/s, bytes allocated per training step, and a per-layer time profile "
                        + "(forward and backward per layer and per layer type). "
                        + "Prints Markdown tables (median and min-max of --runs runs), or JSON with --json.",
                "The full reproduction's wall time: run `cnn4j reproduce --quiet`; it prints it."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--models", paramLabel = "MODEL", split = ",", splitSynopsisLabel = ",",
            description = "Named models to measure: A-F (the paper's), MODERN (configs/modern.json), RESNET "
                    + "(when its config is packaged). Default: A-F, or none when --model is given.")
    List<String> models;

    @Option(names = "--model", paramLabel = "FILE.json",
            description = "A model file to measure (repeatable): an ONNX model (.onnx), a native architecture with or without weights, or a paper config or model.")
    List<Path> modelFiles;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Timed runs per measurement (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1.0", description = "Length of one timed run (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "1.0", description = "Warm-up before each measurement (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Threads of the multi-threaded measurements (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--only", paramLabel = "KIND", split = ",", splitSynopsisLabel = ",",
            description = "Measurements to run (default: all): sgd, mb64, inf1, inf1000, profile.")
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
        List<String> kinds = only == null ? KINDS : only;
        for (String k : kinds) {
            if (!KINDS.contains(k)) {
                throw new IllegalArgumentException("--only: unknown measurement '" + k + "', expected some of " + String.join(", ", KINDS));
            }
        }
        List<String> names = new ArrayList<>();
        for (String m : models == null ? (modelFiles == null ? Reproduction.ALL : List.<String>of()) : models) {
            String l = m.trim().toUpperCase(Locale.ROOT);
            if (!Reproduction.ALL.contains(l) && !NATIVE_PRESETS.containsKey(l)) {
                throw new IllegalArgumentException("--models: unknown model '" + m + "', expected some of " + Reproduction.ALL
                        + " or " + NATIVE_PRESETS.keySet());
            }
            names.add(l);
        }
        // The trainer logs every fit at INFO; a benchmark runs hundreds of them.
        System.setProperty("org.slf4j.simpleLogger.log.io.github.cnn4j.train", System.getProperty("org.slf4j.simpleLogger.log.io.github.cnn4j.train", "warn"));
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = Files.createTempDirectory("cnn4j-bench");
        List<Result> results = new ArrayList<>();
        List<Profile> profiles = new ArrayList<>();
        List<String> letters = new ArrayList<>();
        try {
            Map<String, Sequential> toRun = new LinkedHashMap<>();
            for (String l : names) {
                toRun.put(l, preset(l, tmp));
            }
            for (Path f : modelFiles == null ? List.<Path>of() : modelFiles) {
                String name = f.getFileName().toString().replaceFirst("(?i)\\.json$", "");
                while (toRun.containsKey(name)) {
                    name = name + "'";
                }
                toRun.put(name, fromFile(f));
            }
            MnistData d = data.load();
            for (Map.Entry<String, Sequential> e : toRun.entrySet()) {
                requireMnistShaped(e.getKey(), e.getValue(), d.train());
            }
            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            othersBefore = otherProcessesCores(1000);
            for (Map.Entry<String, Sequential> e : toRun.entrySet()) {
                String l = e.getKey();
                Sequential model = e.getValue();
                letters.add(l);
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
                if (kinds.contains("profile")) {
                    profiles.add(profile(l, model, d));
                }
            }
            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            othersDuring = otherProcessesCores(0);
            out.print(json ? json(results, profiles, loadBefore, loadAfter) : markdown(results, profiles, letters, loadBefore, loadAfter));
            out.flush();
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(tmp);
        }
        return 0;
    }

    /** Every measurement {@code --only} accepts, in the order they run. */
    static final List<String> KINDS = List.of("sgd", "mb64", "inf1", "inf1000", "profile");

    /**
     * Named models in cnn4j's native format, packaged with this module beside the paper's configs.
     * RESNET is the residual network of the "beyond a plain stack" work: it is measured as soon as
     * its config ({@code configs/resnet.json}) is packaged, with nothing else to change here.
     */
    static final SortedMap<String, String> NATIVE_PRESETS = Collections.unmodifiableSortedMap(
            new TreeMap<>(Map.of("MODERN", "modern.json", "RESNET", "resnet.json")));

    /** A named model: A-F from the paper's configs, the others from {@link #NATIVE_PRESETS}. */
    static Sequential preset(String name, Path tmp) throws IOException {
        if (Reproduction.ALL.contains(name)) {
            return Reproduction.config(name, tmp).buildModel();
        }
        String file = NATIVE_PRESETS.get(name);
        Path copy = tmp.resolve(file);
        try (InputStream in = Reproduction.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new NoSuchFileException(file, null, "model " + name + " is not packaged in this build (no configs/" + file + ")");
            }
            AtomicFiles.write(copy, in::transferTo);
        }
        return NativeModelFormat.readArchitecture(copy).model();
    }

    /** A model file of any kind: ONNX, a native architecture (with or without weights), a paper config or a paper model. */
    static Sequential fromFile(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString(), null, "--model: no such file");
        }
        return ModelLoader.any(f).model();
    }

    /** The benchmark feeds MNIST: the model must take its images and have an output per class. */
    static void requireMnistShaped(String name, Sequential model, Dataset train) {
        if (!model.inputShape().equals(train.shape())) {
            throw new IllegalArgumentException("model " + name + " takes input " + model.inputShape() + ", but the benchmark data are "
                    + train.shape() + " images");
        }
        int classes = 0;
        for (int i = 0; i < train.size(); i++) {
            classes = Math.max(classes, train.label(i) + 1);
        }
        if (model.outputShape().size() < classes) {
            throw new IllegalArgumentException("model " + name + " has " + model.outputShape().size() + " outputs, the benchmark data have "
                    + classes + " classes");
        }
    }

    /** The first measurement of a run also waits for the JIT to compile the shared kernels. */
    private boolean first = true;

    private Result measure(String model, String kind, int batch, int threads, String unit, long flops, Workload w) {
        int perRun = calibrate(w, batch);
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

    /**
     * Warm-up: grows the run length until the warm-up time is spent; it also calibrates the rate.
     *
     * @return the samples of one timed run of about {@code --seconds}
     */
    private int calibrate(Workload w, int batch) {
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
        return (int) Math.max(Math.max(batch, 64), Math.min(Integer.MAX_VALUE / 2, (long) (rate * seconds)));
    }

    // ---------------------------------------------------------------- profile

    /** One layer's share of a profiled step, in nanoseconds per sample. */
    record LayerTime(int index, String layer, String type, String kernels, double trainForward, double trainBackward, double inferForward) {
        /** @return whether the layer holds others (its time includes theirs) */
        boolean composite() {
            return type.equals("Block") || type.equals("Residual");
        }
    }

    /** A layer inside a composite layer, at {@code path} (see {@link ProfiledLayer.Inner#path()}). */
    record InnerTime(String path, LayerTime time) {
    }

    /** Per-layer times of one model: batch-64 training and batch-1000 inference on one thread, nanoseconds per sample. */
    record Profile(String model, double trainTotal, double inferTotal, List<LayerTime> layers, List<InnerTime> inner) {
        /**
         * @return the times of the layers that hold no others (at any depth) summed per layer type, in
         *         the order the types first appear; a composite's own work (the residual add, copies)
         *         is what its time exceeds its children's by
         */
        List<LayerTime> byType() {
            List<LayerTime> leaves = new ArrayList<>();
            layers.stream().filter(t -> !t.composite()).forEach(leaves::add);
            inner.stream().map(InnerTime::time).filter(t -> !t.composite()).forEach(leaves::add);
            Map<String, LayerTime> m = new LinkedHashMap<>();
            for (LayerTime t : leaves) {
                m.merge(t.type(), new LayerTime(-1, t.type(), t.type(), t.kernels(), t.trainForward(), t.trainBackward(), t.inferForward()),
                        (a, b) -> new LayerTime(-1, a.layer(), a.type(),
                                Arrays.asList(a.kernels().split("; ")).contains(b.kernels()) ? a.kernels() : a.kernels() + "; " + b.kernels(),
                                a.trainForward() + b.trainForward(), a.trainBackward() + b.trainBackward(), a.inferForward() + b.inferForward()));
            }
            return new ArrayList<>(m.values());
        }

        /** @return training time per sample outside the layers: loss, gradient sums, optimizer, data copy */
        double trainRest() {
            return trainTotal - layers.stream().mapToDouble(t -> t.trainForward() + t.trainBackward()).sum();
        }

        /** @return inference time per sample outside the layers: data copy, output copy */
        double inferRest() {
            return inferTotal - layers.stream().mapToDouble(LayerTime::inferForward).sum();
        }
    }

    /**
     * Runs batch-64 training and batch-1000 inference on one thread through a copy of the model whose
     * layers are wrapped in a stopwatch, after the usual warm-up, for {@code runs x seconds}.
     */
    private Profile profile(String name, Sequential model, MnistData d) {
        List<ProfiledLayer> probes = new ArrayList<>();
        List<ProfiledLayer.Inner> inner = new ArrayList<>();
        Sequential p = ProfiledLayer.wrap(model, probes, inner);
        Runnable reset = () -> {
            probes.forEach(q -> {
                if (q != null) {
                    q.reset();
                }
            });
            inner.forEach(q -> q.probe().reset());
        };
        Workload tw = trainWorkload(p, d.train(), 64, 1, reset);
        Window train = tw.run(calibrate(tw, 64) * runs);
        double[] tf = new double[probes.size()];
        double[] tb = new double[probes.size()];
        for (int i = 0; i < probes.size(); i++) {
            ProfiledLayer q = probes.get(i);
            tf[i] = q == null ? 0 : (double) q.forwardNanos() / train.samples();
            tb[i] = q == null ? 0 : (double) q.backwardNanos() / train.samples();
        }
        double[][] innerTrain = new double[inner.size()][];
        for (int i = 0; i < inner.size(); i++) {
            ProfiledLayer q = inner.get(i).probe();
            innerTrain[i] = new double[] {(double) q.forwardNanos() / train.samples(), (double) q.backwardNanos() / train.samples()};
        }
        Workload batchInference = inferBatch(p, d.test(), 1000, 1);
        Workload iw = samples -> {
            reset.run();
            return batchInference.run(samples);
        };
        Window infer = iw.run(calibrate(iw, 1000) * runs);
        List<LayerTime> layers = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            ProfiledLayer q = probes.get(i);
            if (q == null) {
                continue; // the final softmax, fused with the loss: its time is in the rest of the step
            }
            Layer l = model.layers().get(i);
            layers.add(new LayerTime(i, l.name(), l.getClass().getSimpleName(), kernels(l, model.shapes().get(i)), tf[i], tb[i],
                    (double) q.forwardNanos() / infer.samples()));
        }
        List<InnerTime> inside = new ArrayList<>();
        for (int i = 0; i < inner.size(); i++) {
            ProfiledLayer.Inner q = inner.get(i);
            Layer l = q.probe().inner();
            inside.add(new InnerTime(q.path(), new LayerTime(-1, l.name(), l.getClass().getSimpleName(), kernels(l, q.input()),
                    innerTrain[i][0], innerTrain[i][1], (double) q.probe().forwardNanos() / infer.samples())));
        }
        return new Profile(name, (double) train.nanos() / train.samples(), (double) infer.nanos() / infer.samples(), layers, inside);
    }

    /**
     * Which kernels a layer runs, from its type, settings and input shape: the routing of the
     * kernel facades (the vector set where one exists and the shape is one it handles).
     */
    static String kernels(Layer l, Shape in) {
        String impl = Vectorization.enabled() ? "vector" : "scalar";
        return switch (l.getClass().getSimpleName()) {
            case "Conv" -> (((Conv) l).stride() == 1 ? "ConvKernels, " : "StridedConvKernels, ") + impl;
            case "MaxPool" -> {
                int s = ((MaxPool) l).size();
                boolean vector = (s == 2 || s == 3) && (in.height() / s) * (in.width() / s) >= 8;
                yield "MaxPoolKernels, " + (vector ? impl : "scalar");
            }
            case "AvgPool" -> "AvgPoolKernels, scalar";
            case "BatchNorm" -> "BatchNormKernels, " + impl;
            case "Dense" -> "DenseKernels, " + impl
                    + (((Dense) l).weight().size() <= DenseKernels.SMALL_WEIGHTS ? " forward, fused unit-order backward" : "");
            case "ReLU", "Sigmoid", "Tanh" -> "ActivationKernels, C2";
            default -> "in the layer";
        };
    }

    // ---------------------------------------------------------------- workloads

    /** Training through the public Trainer; the window runs from step {@code skip} to the last step. */
    private static Workload train(Sequential model, Dataset train, int batch, int threads) {
        return trainWorkload(model, train, batch, threads, null);
    }

    /** {@link #train} with {@code onOpen} run when the timed window opens (null: nothing). */
    private static Workload trainWorkload(Sequential model, Dataset train, int batch, int threads, Runnable onOpen) {
        return requested -> {
            // at least four steps, so that the window (from the 5% step, at least the first) holds some
            int samples = Math.max(requested, 4 * batch);
            int epochs = (samples + train.size() - 1) / train.size();
            int perEpoch = Math.min(train.size(), Math.max(batch, samples / epochs));
            Dataset part = train.subset(0, perEpoch);
            long stepsPerEpoch = (perEpoch + batch - 1) / batch;
            long totalSteps = stepsPerEpoch * epochs;
            long skip = Math.max(1, totalSteps / 20);
            WindowListener win = new WindowListener(skip, totalSteps, batch, perEpoch, onOpen);
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
    private static Workload inferBatch(Sequential model, Dataset test, int requestedBatch, int threads) {
        int batch = Math.min(requestedBatch, test.size()); // a test set cut by --limit may hold fewer
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
        private final Runnable onOpen;
        private long step;
        private long t0;
        private long samples;
        private int lastInEpoch;
        private Window window;

        WindowListener(long skip, long total, int batch, int perEpoch, Runnable onOpen) {
            this.onOpen = onOpen;
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
                if (onOpen != null) {
                    onOpen.run();
                }
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

    private String markdown(List<Result> results, List<Profile> profiles, List<String> letters, double loadBefore, double loadAfter) {
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
        for (Profile p : profiles) {
            profileMarkdown(sb, p);
        }
        return sb.toString();
    }

    private static void profileMarkdown(StringBuilder sb, Profile p) {
        sb.append(String.format(Locale.ROOT, "%nProfile of %s: microseconds per sample of each layer's passes, batch-64 training (SGD) and batch-1000 "
                + "inference on 1 thread, a stopwatch around every layer call (the share is of the whole step).%n%n", p.model()));
        sb.append("| # | layer | kernels | train forward µs | train backward µs | train share | infer forward µs | infer share |\n");
        sb.append("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (LayerTime t : p.layers()) {
            profileRow(sb, String.valueOf(t.index()), t, p);
        }
        sb.append(String.format(Locale.ROOT, "| | rest of the step (softmax and loss, gradient sums, optimizer, data copies) | | %.2f | | %.1f%% | %.2f | %.1f%% |%n",
                p.trainRest() / 1e3, 100 * p.trainRest() / p.trainTotal(), p.inferRest() / 1e3, 100 * p.inferRest() / p.inferTotal()));
        sb.append(String.format(Locale.ROOT, "| | total | | %.2f | | 100%% | %.2f | 100%% |%n", p.trainTotal() / 1e3, p.inferTotal() / 1e3));
        if (!p.inner().isEmpty()) {
            sb.append("\nInside the composite layers (# is the path: the layer's index, then the child's at every level; a residual's block "
                    + "is child 0, its projection child 1; a composite's time includes its children's, and the by-type table below counts only layers that hold no others):\n\n");
            sb.append("| # | layer | kernels | train forward µs | train backward µs | train share | infer forward µs | infer share |\n");
            sb.append("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
            for (InnerTime t : p.inner()) {
                profileRow(sb, t.path(), t.time(), p);
            }
        }
        sb.append("\nBy layer type:\n\n| type | kernels | train forward µs | train backward µs | train share | infer forward µs | infer share |\n");
        sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (LayerTime t : p.byType()) {
            profileRow(sb, null, t, p);
        }
    }

    private static void profileRow(StringBuilder sb, String index, LayerTime t, Profile p) {
        if (index != null) {
            sb.append("| ").append(index).append(' ');
        }
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.1f%% | %.2f | %.1f%% |%n", t.layer(), t.kernels(),
                t.trainForward() / 1e3, t.trainBackward() / 1e3, 100 * (t.trainForward() + t.trainBackward()) / p.trainTotal(),
                t.inferForward() / 1e3, 100 * t.inferForward() / p.inferTotal()));
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

    private String json(List<Result> results, List<Profile> profiles, double loadBefore, double loadAfter) {
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
                    "    {\"model\": \"%s\", \"kind\": \"%s\", \"batch\": %d, \"threads\": %d, \"unit\": \"%s\", \"median\": %s, \"min\": %s, \"max\": %s, "
                            + "\"runs\": %s, \"perCpuSecond\": %s, \"flopsPerSample\": %.0f, \"gflops\": %s, \"bytesPerStep\": %s}%s%n",
                    r.model(), r.kind(), r.batch(), r.threads(), r.unit(), num(r.median(), 1), num(r.min(), 1), num(r.max(), 1), runsJson(r.rates()),
                    num(r.cpuRate(), 1), r.flopsPerSample(), num(r.gflops(), 3), num(r.bytesPerStep(), 1),
                    i + 1 < results.size() ? "," : ""));
        }
        sb.append("  ],\n  \"profiles\": [\n");
        for (int i = 0; i < profiles.size(); i++) {
            Profile p = profiles.get(i);
            sb.append(String.format(Locale.ROOT, "    {\"model\": %s, \"trainMicrosPerSample\": %s, \"inferMicrosPerSample\": %s, "
                    + "\"trainRestMicros\": %s, \"inferRestMicros\": %s,%n      \"layers\": [%n", value(p.model()), num(p.trainTotal() / 1e3, 3),
                    num(p.inferTotal() / 1e3, 3), num(p.trainRest() / 1e3, 3), num(p.inferRest() / 1e3, 3)));
            List<LayerTime> top = p.layers();
            layerTimesJson(sb, top, j -> "\"index\": " + top.get(j).index() + ", \"layer\": " + value(top.get(j).layer()) + ", ");
            sb.append("      ],\n      \"inner\": [\n");
            List<InnerTime> in = p.inner();
            layerTimesJson(sb, in.stream().map(InnerTime::time).toList(),
                    j -> "\"path\": " + value(in.get(j).path()) + ", \"layer\": " + value(in.get(j).time().layer()) + ", ");
            sb.append("      ],\n      \"byType\": [\n");
            layerTimesJson(sb, p.byType(), j -> "");
            sb.append("      ]}").append(i + 1 < profiles.size() ? "," : "").append('\n');
        }
        sb.append("  ]\n}\n");
        return sb.toString();
    }

    /** Writes one JSON object per layer time; {@code head} gives the fields that lead row {@code j} (where the layer is). */
    private static void layerTimesJson(StringBuilder sb, List<LayerTime> times, IntFunction<String> head) {
        for (int j = 0; j < times.size(); j++) {
            LayerTime t = times.get(j);
            sb.append("        {").append(head.apply(j));
            sb.append(String.format(Locale.ROOT, "\"type\": %s, \"kernels\": %s, \"trainForwardMicros\": %s, \"trainBackwardMicros\": %s, "
                            + "\"inferForwardMicros\": %s}%s%n", value(t.type()), value(t.kernels()), num(t.trainForward() / 1e3, 3),
                    num(t.trainBackward() / 1e3, 3), num(t.inferForward() / 1e3, 3), j + 1 < times.size() ? "," : ""));
        }
    }

    private static String runsJson(double[] rates) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rates.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(num(rates[i], 1));
        }
        return sb.append(']').toString();
    }

    /** A number for JSON: {@code null} when it is not finite (a run too short to measure). */
    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "null";
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
