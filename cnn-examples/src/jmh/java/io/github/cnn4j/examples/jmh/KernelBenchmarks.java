package io.github.cnn4j.examples.jmh;

import io.github.cnn4j.kernel.ActivationKernels;
import io.github.cnn4j.kernel.BatchNormKernels;
import io.github.cnn4j.kernel.ConvKernels;
import io.github.cnn4j.kernel.ConvScratch;
import io.github.cnn4j.kernel.MaxPoolKernels;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.InitContext;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.init.InitPreset;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Micro-benchmarks of cnn4j's kernels at the paper models' and the modern network's layer shapes:
 * convolution forward, weight gradient and input gradient; max pooling forward and backward (2x2,
 * and 3x3 and short rows); ReLU backward; dense forward and backward, with the EJML calls they
 * replaced beside them; batch norm forward and backward. Times are per call of {@code batch} samples; divide by the batch for a
 * per-sample figure. Built and run only with the {@code jmh} Maven profile (docs/performance.md).
 * The forked JVM gets the Vector API module, so the convolution and pooling benchmarks measure the
 * vector kernels; add {@code -jvmArgsAppend -Dcnn4j.vector=false} to measure the scalar ones.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmarks {

    /** A convolution layer shape: name, C, H, W, F, K, padding. */
    @State(Scope.Thread)
    public static class ConvState {
        /** B1 = model B's first conv, B2 its second; E1, E2 model E's; F2 model F's padded second conv. */
        @Param({"B1", "B2", "E1", "E2", "F2"})
        public String layer;

        /** Samples per call: 1 (per-sample SGD) or 16 (one trainer chunk). */
        @Param({"1", "16"})
        public int batch;

        int c;
        int h;
        int w;
        int f;
        int k;
        int pad;
        float[] x;
        float[] weight;
        float[] bias;
        float[] y;
        float[] dy;
        float[] dWeight;
        float[] dBias;
        float[] dx;
        ConvScratch scratch;

        @Setup(Level.Trial)
        public void setUp() {
            int[] s;
            switch (layer) {
                case "B1": s = new int[] {1, 28, 28, 6, 5, 0}; break;
                case "B2": s = new int[] {6, 12, 12, 6, 5, 0}; break;
                case "E1": s = new int[] {1, 28, 28, 10, 3, 0}; break;
                case "E2": s = new int[] {10, 13, 13, 6, 3, 0}; break;
                case "F2": s = new int[] {8, 9, 9, 8, 3, 1}; break;
                default: throw new IllegalArgumentException(layer);
            }
            c = s[0];
            h = s[1];
            w = s[2];
            f = s[3];
            k = s[4];
            pad = s[5];
            int oh = h + 2 * pad - k + 1;
            int ow = w + 2 * pad - k + 1;
            Random r = new Random(42);
            x = random(r, batch * c * h * w);
            weight = random(r, f * c * k * k);
            bias = random(r, f);
            y = new float[batch * f * oh * ow];
            dy = random(r, y.length);
            dWeight = new float[weight.length];
            dBias = new float[f];
            dx = new float[x.length];
            scratch = new ConvScratch();
        }
    }

    /** Pooling and ReLU at model E's first layer: 10 x 26 x 26, 2x2 windows. */
    @State(Scope.Thread)
    public static class PoolState {
        @Param({"1", "16"})
        public int batch;

        final int c = 10;
        final int h = 26;
        final int w = 26;
        float[][] inputs;
        float[] y;
        int[] switches;
        float[] dy;
        float[] dx;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            Random r = new Random(7);
            // several inputs, so that the branch predictor cannot learn the windows' winners
            inputs = new float[8][];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = new float[batch * c * h * w];
                for (int j = 0; j < inputs[i].length; j++) {
                    inputs[i][j] = Math.max(0f, r.nextFloat() - 0.5f);
                }
            }
            y = new float[batch * c * (h / 2) * (w / 2)];
            switches = new int[y.length];
            dy = random(r, y.length);
            dx = new float[batch * c * h * w];
        }

        float[] input() {
            next = (next + 1) & 7;
            return inputs[next];
        }
    }

    /** A dense layer: model B's 96 -> 10, model E's 150 -> 18, the modern network's 256 -> 128. */
    @State(Scope.Thread)
    public static class DenseState {
        @Param({"96x10", "150x18", "256x128"})
        public String size;

        @Param({"1", "16"})
        public int batch;

        Layer dense;
        LayerContext ctx;
        Tensor in;
        Tensor out;
        Tensor gradOut;
        Tensor gradIn;

        @Setup(Level.Trial)
        public void setUp() {
            String[] p = size.split("x");
            int inputs = Integer.parseInt(p[0]);
            int units = Integer.parseInt(p[1]);
            Shape s = Shape.of(inputs);
            dense = new Dense(units).build(s, new InitContext(new Rng(3), InitPreset.PAPER));
            ctx = new LayerContext(dense.parameters());
            Random r = new Random(5);
            in = new Tensor(s, batch);
            System.arraycopy(random(r, batch * inputs), 0, in.data(), 0, batch * inputs);
            out = new Tensor(Shape.of(units), batch);
            gradOut = new Tensor(Shape.of(units), batch);
            System.arraycopy(random(r, batch * units), 0, gradOut.data(), 0, batch * units);
            gradIn = new Tensor(s, batch);
        }
    }

    /** Batch norm at the modern network's shapes (channels x plane), one trainer chunk of 16 samples. */
    @State(Scope.Thread)
    public static class BatchNormState {
        /** After conv 1 (8 x 24 x 24), after conv 2 (16 x 8 x 8), after the dense layer (128 x 1). */
        @Param({"8x576", "16x64", "128x1"})
        public String shape;

        final int batch = 16;
        int c;
        int spatial;
        float[] x;
        float[] y;
        float[] dy;
        float[] dx;
        float[] stats;
        float[] gamma;
        float[] beta;
        float[] dGamma;
        float[] dBeta;

        @Setup(Level.Trial)
        public void setUp() {
            String[] p = shape.split("x");
            c = Integer.parseInt(p[0]);
            spatial = Integer.parseInt(p[1]);
            Random r = new Random(11);
            x = random(r, batch * c * spatial);
            dy = random(r, x.length);
            y = new float[x.length];
            dx = new float[x.length];
            stats = new float[2 * c];
            gamma = random(r, c);
            beta = random(r, c);
            dGamma = new float[c];
            dBeta = new float[c];
        }
    }

    /** Max pooling at other shapes: model F's 3 x 3 windows on 8 x 28 x 28, the modern network's second 2 x 2 pooling on 16 x 8 x 8. */
    @State(Scope.Thread)
    public static class PoolShapeState {
        /** channels x height x width / window. */
        @Param({"8x28x28/3", "16x8x8/2"})
        public String shape;

        final int batch = 16;
        int c;
        int h;
        int w;
        int window;
        float[] x;
        float[] y;
        int[] switches;

        @Setup(Level.Trial)
        public void setUp() {
            String[] p = shape.split("[x/]");
            c = Integer.parseInt(p[0]);
            h = Integer.parseInt(p[1]);
            w = Integer.parseInt(p[2]);
            window = Integer.parseInt(p[3]);
            x = random(new Random(13), batch * c * h * w);
            y = new float[batch * c * (h / window) * (w / window)];
            switches = new int[y.length];
        }
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    @Benchmark
    public float[] convForward(ConvState s) {
        ConvKernels.forward(s.x, 0, s.batch, s.c, s.h, s.w, s.weight, s.bias, s.f, s.k, s.k, s.pad, s.y, 0, s.scratch);
        return s.y;
    }

    @Benchmark
    public float[] convBackwardWeights(ConvState s) {
        ConvKernels.weightGradient(s.x, 0, s.batch, s.c, s.h, s.w, s.f, s.k, s.k, s.pad, s.dy, 0, s.dWeight, s.dBias, s.scratch);
        return s.dWeight;
    }

    @Benchmark
    public float[] convBackwardInput(ConvState s) {
        ConvKernels.inputGradient(s.batch, s.c, s.h, s.w, s.weight, s.f, s.k, s.k, s.pad, s.dy, 0, s.dx, 0, s.scratch);
        return s.dx;
    }

    @Benchmark
    public int[] poolForward(PoolState s) {
        float[] x = s.input();
        int in = s.c * s.h * s.w;
        int out = s.y.length / s.batch;
        for (int m = 0; m < s.batch; m++) {
            MaxPoolKernels.maxForward(x, m * in, s.c, s.h, s.w, 2, s.y, m * out, s.switches, m * out);
        }
        return s.switches;
    }

    @Benchmark
    public float[] poolBackward(PoolState s) {
        int in = s.c * s.h * s.w;
        int out = s.y.length / s.batch;
        for (int m = 0; m < s.batch; m++) {
            MaxPoolKernels.maxBackward(s.dy, m * out, s.switches, m * out, out, s.dx, m * in, in);
        }
        return s.dx;
    }

    @Benchmark
    public float[] reluBackward(PoolState s) {
        float[] y = s.input();
        ActivationKernels.reluBackward(y, s.dx, s.dx, y.length);
        return s.dx;
    }

    @Benchmark
    public void denseForward(DenseState s, Blackhole bh) {
        s.dense.forward(s.in, s.out, s.ctx);
        bh.consume(s.out);
    }

    @Benchmark
    public void denseBackward(DenseState s, Blackhole bh) {
        s.dense.backward(s.in, s.out, s.gradOut, s.gradIn, s.ctx);
        bh.consume(s.gradIn);
    }

    /** The dense forward pass through EJML's {@code mult} plus the bias, as before issue 16: to compare with {@link #denseForward}. */
    @Benchmark
    public void denseForwardEjml(DenseState s, Blackhole bh) {
        Dense d = (Dense) s.dense;
        org.ejml.data.FMatrixRMaj y = s.out.matrix();
        org.ejml.dense.row.CommonOps_FDRM.mult(s.in.matrix(), d.weight().valueMatrix(), y);
        float[] b = d.bias().value();
        int units = b.length;
        for (int n = 0, off = 0; n < s.batch; n++, off += units) {
            for (int j = 0; j < units; j++) {
                y.data[off + j] += b[j];
            }
        }
        bh.consume(y);
    }

    /** The dense backward pass through EJML's {@code multAddTransA} and {@code multTransB}, as large layers ran before issue 16. */
    @Benchmark
    public void denseBackwardEjml(DenseState s, Blackhole bh) {
        Dense d = (Dense) s.dense;
        org.ejml.dense.row.CommonOps_FDRM.multAddTransA(s.in.matrix(), s.gradOut.matrix(), s.ctx.gradientMatrix(d.weight()));
        org.ejml.dense.row.CommonOps_FDRM.multTransB(s.gradOut.matrix(), d.weight().valueMatrix(), s.gradIn.matrix());
        bh.consume(s.gradIn);
    }

    @Benchmark
    public float[] batchNormForward(BatchNormState s) {
        BatchNormKernels.statistics(s.x, s.batch, s.c, s.spatial, 1e-5, s.stats);
        BatchNormKernels.normalize(s.x, s.batch, s.c, s.spatial, s.stats, s.gamma, s.beta, s.y);
        return s.y;
    }

    @Benchmark
    public float[] batchNormBackward(BatchNormState s) {
        BatchNormKernels.backward(s.x, s.dy, s.batch, s.c, s.spatial, s.stats, s.gamma, true, s.dGamma, s.dBeta, s.dx);
        return s.dx;
    }

    @Benchmark
    public int[] poolForwardShapes(PoolShapeState s) {
        int in = s.c * s.h * s.w;
        int out = s.y.length / s.batch;
        for (int m = 0; m < s.batch; m++) {
            MaxPoolKernels.maxForward(s.x, m * in, s.c, s.h, s.w, s.window, s.y, m * out, s.switches, m * out);
        }
        return s.switches;
    }
}
