package io.github.cnn4j.testing;

import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.model.Workspace;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The one gradient checker of the test suite: central finite differences against an analytic
 * gradient, in the style of DL4J's {@code GradientCheckUtil}.
 *
 * <h2>The comparison</h2>
 * For every element {@code x_i} the numeric derivative is
 * {@code n = (L(x_i + eps) - L(x_i - eps)) / (x_i^+ - x_i^-)}, where {@code x_i^+} and {@code x_i^-}
 * are the perturbed values as actually stored in float32 (so the rounding of {@code x_i ± eps} to
 * float does not bias the quotient). With the analytic value {@code a}, the element passes when
 * <pre>
 *   |a - n| &lt; absTol    or    |a - n| / max(|a| + |n|, floor) &lt;= relTol
 * </pre>
 *
 * <h2>Why these defaults ({@link Options#FLOAT32})</h2>
 * Layers compute in float32 (unit roundoff {@code u = 2^-24 ≈ 6e-8}); the objective is summed in
 * double. Perturbing one element changes only the outputs that depend on it; each of those carries
 * a float rounding error of roughly {@code sqrt(terms) * u * |value|}, i.e. about {@code 1e-6} for
 * the small shapes used here, so the difference {@code L+ - L-} has noise around {@code 1e-5} and the
 * quotient around {@code 1e-5 / (2 eps)}. A tiny {@code eps} (the {@code 1e-6} a double check
 * would use) would make that noise dominate, so {@code eps = 1e-2}: the roundoff term is then
 * about {@code 1e-5 / 0.02 = 5e-4} in the worst case and far less typically, and the truncation error
 * of the central difference, {@code eps^2 / 6 * |f'''|}, is below {@code 4e-5} for sigmoid, tanh,
 * softmax and cross-entropy of a softmax on the input ranges used (it is exactly zero for the linear
 * maps conv, dense, pooling, flatten). Measured over ten times the suite's tries, the largest error
 * of a correct layer was about {@code 4e-5}. Hence {@code relTol = 1e-3} (about 0.2% relative
 * difference) and {@code absTol = 2e-4} for elements whose gradient is near zero. A wrong gradient
 * (a missed term, wrong index, missing crop, a factor like 2 or 1/batch) gives errors of the order of
 * the gradient itself and fails by orders of magnitude; the self-test {@code GradientCheckTest}
 * shows that a 5% error in a gradient is caught.
 *
 * <p>{@link Options#DOUBLE_OBJECTIVE} is for objectives evaluated in double from float inputs without
 * float arithmetic in between (a loss applied to given probabilities): roundoff is then negligible and
 * a smaller {@code eps = 1e-3} keeps the truncation error small even for {@code -log p}, whose third
 * derivative {@code -2 / p^3} is large for small {@code p} ({@code 3e-3} absolute at {@code p = 0.05},
 * where the gradient is {@code -20}).
 *
 * <h2>Kinks</h2>
 * Finite differences are wrong across a kink, so layer checks keep ReLU inputs at least
 * {@code 2 * eps} away from 0, and max-pool windows free of values closer than {@code 2 * eps}.
 * A whole model cannot be arranged that way, so {@link #checkModel} skips (and counts) the elements
 * whose perturbation flips a ReLU or moves a max-pool winner.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /**
     * Tolerances of a check.
     *
     * @param eps    half-width of the central difference
     * @param relTol bound on {@code |a - n| / max(|a| + |n|, floor)}
     * @param absTol any element with {@code |a - n| < absTol} passes
     * @param floor  lower bound of the relative error's denominator
     */
    public record Options(double eps, double relTol, double absTol, double floor) {
        /** Defaults for float32 layers and small shapes; see the class comment for the reasoning. */
        public static final Options FLOAT32 = new Options(1e-2, 1e-3, 2e-4, 1e-8);
        /**
         * For whole models ({@link #checkModel}): many ReLU and pooling kinks make a smaller step
         * worthwhile, and the loss of float probabilities has noise of a few {@code 1e-8}, so the
         * quotient's noise is about {@code 3e-5} (measured worst over 110,000 elements: {@code 6.5e-5}).
         */
        public static final Options MODEL = new Options(3e-3, 1e-3, 2e-4, 1e-8);
        /** For objectives computed in double from float inputs (losses of given probabilities). */
        public static final Options DOUBLE_OBJECTIVE = new Options(1e-3, 1e-3, 1e-4, 1e-8);
    }

    /** One compared element. */
    public record Entry(String what, int index, double analytic, double numeric, double absError, double relError) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s[%d]: analytic %.6g, numeric %.6g, |a-n| %.3g, rel %.3g",
                    what, index, analytic, numeric, absError, relError);
        }
    }

    /** The outcome of a check: every failing element plus the worst errors seen. */
    public static final class Report {
        private final List<Entry> failures = new ArrayList<>();
        private int checked;
        private int skipped;
        private double sumA2;
        private double sumN2;
        private double sumDiff2;
        private double maxRel;
        private double maxAbs;

        /** @return elements compared */
        public int checked() {
            return checked;
        }

        /** @return elements skipped because their finite difference crossed a kink */
        public int skipped() {
            return skipped;
        }

        /** @return failing elements */
        public List<Entry> failures() {
            return failures;
        }

        /** @return the largest relative error among elements that were not excused by absTol */
        public double maxRelError() {
            return maxRel;
        }

        /** @return the largest absolute error */
        public double maxAbsError() {
            return maxAbs;
        }

        /** @return whether no element failed */
        public boolean ok() {
            return failures.isEmpty();
        }

        /**
         * Throws an {@link AssertionError} listing (up to 10) failures.
         *
         * @param context what was checked, for the message
         */
        public void assertOk(String context) {
            if (checked == 0) {
                throw new AssertionError(context + ": nothing was checked");
            }
            if (!failures.isEmpty()) {
                StringBuilder sb = new StringBuilder(context).append(": ").append(failures.size()).append(" of ")
                        .append(checked).append(" gradient elements differ from finite differences:");
                for (int i = 0; i < Math.min(10, failures.size()); i++) {
                    sb.append("\n  ").append(failures.get(i));
                }
                throw new AssertionError(sb.toString());
            }
        }

        /**
         * @return {@code ||a - n|| / (||a|| + ||n||)} over all compared elements (Euclidean norms): a
         *         whole-vector relative error that also sees errors in elements too small for the
         *         per-element test
         */
        public double normRelError() {
            double d = Math.sqrt(sumA2) + Math.sqrt(sumN2);
            return d == 0 ? 0 : Math.sqrt(sumDiff2) / d;
        }

        void add(Entry e, boolean pass, boolean excusedByAbs) {
            sumA2 += e.analytic() * e.analytic();
            sumN2 += e.numeric() * e.numeric();
            sumDiff2 += e.absError() * e.absError();
            checked++;
            maxAbs = Math.max(maxAbs, e.absError());
            if (!excusedByAbs) {
                maxRel = Math.max(maxRel, e.relError());
            }
            if (!pass) {
                failures.add(e);
            }
        }
    }

    /**
     * Compares {@code analytic[aOff + i]} with the central difference of {@code objective} w.r.t.
     * {@code values[vOff + i]}, for {@code i < count}. Each value is perturbed in place and restored.
     *
     * @param what      name of the checked array, for messages
     * @param values    the array the objective reads (modified temporarily)
     * @param vOff      first element to check
     * @param count     number of elements
     * @param analytic  analytic gradient
     * @param aOff      offset in {@code analytic}
     * @param objective recomputes the scalar objective from the current {@code values}
     * @param o         tolerances
     * @param report    collects the result
     * @return {@code report}
     */
    public static Report compare(String what, float[] values, int vOff, int count, float[] analytic, int aOff,
                                 DoubleSupplier objective, Options o, Report report) {
        return compare(what, values, vOff, count, analytic, aOff, objective, () -> true, o, report);
    }

    /**
     * As {@link #compare(String, float[], int, int, float[], int, DoubleSupplier, Options, Report)},
     * but an element is skipped (counted in {@link Report#skipped()}) when {@code sameRegion}, asked
     * right after each of its two objective evaluations, says that the perturbation crossed a kink.
     *
     * @param what       name of the checked array, for messages
     * @param values     the array the objective reads (modified temporarily)
     * @param vOff       first element to check
     * @param count      number of elements
     * @param analytic   analytic gradient
     * @param aOff       offset in {@code analytic}
     * @param objective  recomputes the scalar objective from the current {@code values}
     * @param sameRegion whether the last objective evaluation stayed on the same side of every kink
     * @param o          tolerances
     * @param report     collects the result
     * @return {@code report}
     */
    public static Report compare(String what, float[] values, int vOff, int count, float[] analytic, int aOff,
                                 DoubleSupplier objective, BooleanSupplier sameRegion, Options o, Report report) {
        for (int i = 0; i < count; i++) {
            float orig = values[vOff + i];
            float plus = (float) (orig + o.eps());
            float minus = (float) (orig - o.eps());
            values[vOff + i] = plus;
            double lp = objective.getAsDouble();
            boolean smooth = sameRegion.getAsBoolean();
            values[vOff + i] = minus;
            double lm = objective.getAsDouble();
            smooth &= sameRegion.getAsBoolean();
            values[vOff + i] = orig;
            if (!smooth) {
                report.skipped++;
                continue;
            }
            double numeric = (lp - lm) / ((double) plus - (double) minus);
            double a = analytic[aOff + i];
            double abs = Math.abs(a - numeric);
            double rel = abs / Math.max(Math.abs(a) + Math.abs(numeric), o.floor());
            boolean excused = abs < o.absTol();
            boolean pass = excused || rel <= o.relTol();
            if (Double.isNaN(a) || Double.isNaN(numeric)) {
                pass = false;
            }
            report.add(new Entry(what, i, a, numeric, abs, rel), pass, excused);
        }
        return report;
    }

    /** @return {@code sum_i r[i] * y[i]} over the first {@code n} elements, in double */
    static double dot(float[] r, float[] y, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) r[i] * y[i];
        }
        return s;
    }

    /**
     * Checks a built layer with the objective {@code L = sum_i r_i * out_i}, so that
     * {@code gradOut = r}: the input gradient from {@code backward} and every parameter gradient,
     * read from {@link Parameter#grad()} through a {@code new LayerContext(layer.parameters())}.
     *
     * <p>Besides the finite differences it asserts the layer contract: {@code forward} writes every
     * output element (the output is pre-filled with NaN), {@code backward} writes every input
     * gradient element (pre-filled with NaN) and modifies none of {@code in}, {@code out},
     * {@code gradOut}.
     *
     * @param layer a built layer
     * @param input the input batch (its {@code batch()} is used; not modified)
     * @param r     weights of the objective, at least {@code batch * outputShape.size()} values
     * @param o     tolerances
     * @return the report (not yet asserted)
     */
    public static Report checkLayer(Layer layer, Tensor input, float[] r, Options o) {
        return checkLayer(layer, input, r, o, () -> new LayerContext(layer.parameters()));
    }

    /**
     * As {@link #checkLayer(Layer, Tensor, float[], Options)}, with the layer contexts made by
     * {@code contexts}: e.g. in training mode ({@link LayerContext#training(boolean)}) and with
     * fixed noise seeds ({@link LayerContext#noise}), so that the analytic pass and every probe pass
     * of a layer such as dropout or batch normalization compute the same function.
     *
     * @param layer    a built layer
     * @param input    the input batch (not modified)
     * @param r        weights of the objective
     * @param o        tolerances
     * @param contexts makes a fresh context for the layer (called twice)
     * @return the report (not yet asserted)
     */
    public static Report checkLayer(Layer layer, Tensor input, float[] r, Options o, Supplier<LayerContext> contexts) {
        int n = input.batch();
        Shape outShape = layer.outputShape(input.shape());
        Tensor out = new Tensor(outShape, input.capacity()).batch(n);
        LayerContext ctx = contexts.get();
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        Arrays.fill(out.data(), Float.NaN);
        layer.forward(input, out, ctx);
        for (int i = 0; i < out.length(); i++) {
            if (Float.isNaN(out.data()[i])) {
                throw new AssertionError(layer.name() + ": forward left output element " + i + " unwritten (NaN)");
            }
        }
        Tensor gradOut = new Tensor(outShape, input.capacity()).batch(n);
        System.arraycopy(r, 0, gradOut.data(), 0, out.length());
        Tensor gradIn = new Tensor(input.shape(), input.capacity()).batch(n);
        Arrays.fill(gradIn.data(), Float.NaN);
        float[] inBefore = input.data().clone();
        float[] outBefore = out.data().clone();
        float[] gradOutBefore = gradOut.data().clone();
        layer.backward(input, out, gradOut, gradIn, ctx);
        if (!Arrays.equals(inBefore, input.data()) || !Arrays.equals(outBefore, out.data())
                || !Arrays.equals(gradOutBefore, gradOut.data())) {
            throw new AssertionError(layer.name() + ": backward modified in, out or gradOut");
        }
        for (int i = 0; i < input.length(); i++) {
            if (Float.isNaN(gradIn.data()[i])) {
                throw new AssertionError(layer.name() + ": backward left input-gradient element " + i + " unwritten (NaN)");
            }
        }
        Tensor probe = new Tensor(outShape, input.capacity()).batch(n);
        LayerContext probeCtx = contexts.get();
        DoubleSupplier objective = () -> {
            layer.forward(input, probe, probeCtx);
            return dot(r, probe.data(), probe.length());
        };
        Report report = new Report();
        compare("dInput", input.data(), 0, input.length(), gradIn.data(), 0, objective, o, report);
        for (Parameter p : layer.parameters()) {
            float[] analytic = p.grad().clone();
            compare("d" + p.name(), p.value(), 0, p.size(), analytic, 0, objective, o, report);
        }
        return report;
    }

    /** What {@link #checkModel} computed, for further assertions. */
    public record ModelCheck(Report report, float[] inputGradient, float[][] parameterGradients, double loss) {
    }

    /**
     * Which side of every kink a forward pass is on: the sign pattern of every ReLU's output and the
     * winning position of every max-pool window (first maximum, row-major), for the first {@code n}
     * samples of the workspace's last forward pass.
     */
    static int[] kinkSignature(Sequential model, Workspace ws, int n) {
        List<Integer> sig = new ArrayList<>();
        for (int l = 0; l < model.layers().size(); l++) {
            Layer layer = model.layers().get(l);
            Tensor in = l == 0 ? ws.input() : ws.activation(l - 1);
            if (layer instanceof ReLU) {
                float[] y = ws.activation(l).data();
                for (int i = 0; i < n * in.shape().size(); i++) {
                    sig.add(y[i] > 0 ? 1 : 0);
                }
            } else if (layer instanceof MaxPool) {
                int s = ((MaxPool) layer).size();
                Shape sh = in.shape();
                float[] x = in.data();
                for (int b = 0; b < n; b++) {
                    for (int c = 0; c < sh.channels(); c++) {
                        int plane = (b * sh.channels() + c) * sh.height() * sh.width();
                        for (int i = 0; i + s <= sh.height(); i += s) {
                            for (int j = 0; j + s <= sh.width(); j += s) {
                                int best = plane + i * sh.width() + j;
                                for (int u = 0; u < s; u++) {
                                    for (int v = 0; v < s; v++) {
                                        int k = plane + (i + u) * sh.width() + j + v;
                                        if (x[k] > x[best]) {
                                            best = k;
                                        }
                                    }
                                }
                                sig.add(best);
                            }
                        }
                    }
                }
            }
        }
        return sig.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Checks a whole model: {@link Sequential#backward} with {@code inputGradient = true} against
     * finite differences of {@code loss.loss(model.forward(...))} (the summed batch loss) w.r.t.
     * every parameter value and every input value. The parameters' gradients are zeroed first.
     *
     * <p>Elements whose perturbation flips a ReLU or changes a max-pool winner (see
     * {@link #kinkSignature}) are skipped and counted, since a finite difference across a kink is
     * meaningless; callers should assert that few were skipped.
     *
     * @param model  the model
     * @param inputs {@code n * inputShape.size()} values (not modified)
     * @param labels {@code n} labels
     * @param n      batch size
     * @param loss   the loss
     * @param o      tolerances
     * @return the report and the analytic gradients
     */
    public static ModelCheck checkModel(Sequential model, float[] inputs, int[] labels, int n, Loss loss, Options o) {
        for (Parameter p : model.parameters()) {
            p.zeroGrad();
        }
        Workspace ws = model.newWorkspace(n);
        int size = model.inputShape().size();
        System.arraycopy(inputs, 0, ws.input().data(), 0, n * size);
        System.arraycopy(labels, 0, ws.labels(), 0, n);
        model.forward(ws, n, true);
        int[] base = kinkSignature(model, ws, n);
        double l = model.backward(ws, loss, true);
        float[] dx = Arrays.copyOf(ws.inputGradient().data(), n * size);
        float[][] grads = new float[model.parameters().size()][];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = model.parameters().get(i).grad().clone();
        }
        Workspace probe = model.newWorkspace(n);
        float[] x = Arrays.copyOf(inputs, n * size);
        int[] y = labels.clone();
        DoubleSupplier objective = () -> {
            System.arraycopy(x, 0, probe.input().data(), 0, x.length);
            return loss.loss(model.forward(probe, n, false), y, 0);
        };
        BooleanSupplier sameRegion = () -> Arrays.equals(base, kinkSignature(model, probe, n));
        Report report = new Report();
        compare("dInput", x, 0, x.length, dx, 0, objective, sameRegion, o, report);
        for (int i = 0; i < grads.length; i++) {
            Parameter p = model.parameters().get(i);
            compare("param" + i + "." + p.name(), p.value(), 0, p.size(), grads[i], 0, objective, sameRegion, o, report);
        }
        return new ModelCheck(report, dx, grads, l);
    }
}
