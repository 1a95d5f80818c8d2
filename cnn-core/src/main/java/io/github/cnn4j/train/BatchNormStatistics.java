package io.github.cnn4j.train;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.CompositeLayer;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.LayerContext;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.parallel.WorkerPool;
import io.github.cnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets the running statistics of every {@link BatchNorm} layer to population statistics measured
 * on training data ("precise BN", Wu and Johnson 2021), deterministically for any thread count.
 *
 * <p>The first {@code samples} samples of the data are run forward in chunks of
 * {@value Trainer#CHUNK}, with every batch-norm layer normalizing by its chunk's statistics as in
 * training and every other layer in inference mode (dropout off). For each batch-norm layer the
 * per-channel sum and sum of squares of its input are collected per chunk, added in chunk order, and
 * turned into the mean and the (biased) variance over all those values. Chunks may run on any
 * worker; only the fixed chunk order of the reduction matters, so 1, 2 or 3 threads give the same
 * bits.
 *
 * <p>The {@link Trainer} calls this after every epoch, before evaluating, when the model has
 * batch-norm layers. Call it yourself after training such a model with your own loop.
 */
public final class BatchNormStatistics {
    /** Samples used by the trainer: enough for stable statistics, a few percent of an MNIST epoch. */
    public static final int DEFAULT_SAMPLES = 4096;

    private BatchNormStatistics() {
    }

    /**
     * @param model a model
     * @return whether it has batch-norm layers, at any depth (whose statistics {@link #recompute} would set)
     */
    public static boolean applies(Sequential model) {
        List<BatchNorm> found = new ArrayList<>();
        for (Layer l : model.layers()) {
            collect(l, null, found, null);
        }
        return !found.isEmpty();
    }

    /**
     * Recomputes the running mean and variance of every batch-norm layer of the model, including
     * those nested in composite layers.
     *
     * @param model   the model (its batch-norm running statistics are modified)
     * @param data    samples of the model's input shape, e.g. the training set
     * @param samples how many of the first samples to use, at least 1
     * @param threads worker threads, at least 1
     */
    public static void recompute(Sequential model, Dataset data, int samples, int threads) {
        if (!data.shape().equals(model.inputShape())) {
            throw new IllegalArgumentException("samples have shape " + data.shape() + ", the model expects " + model.inputShape());
        }
        if (samples < 1 || threads < 1) {
            throw new IllegalArgumentException("need samples >= 1 and threads >= 1, got " + samples + " and " + threads);
        }
        List<BatchNorm> norms = new ArrayList<>();
        for (Layer l : model.layers()) {
            collect(l, null, norms, null);
        }
        int count = Math.min(samples, data.size());
        if (norms.isEmpty() || count == 0) {
            return;
        }
        int chunks = (count + Trainer.CHUNK - 1) / Trainer.CHUNK;
        double[][][] sums = new double[norms.size()][chunks][];
        try (WorkerPool pool = new WorkerPool(Math.max(1, Math.min(threads, chunks)))) {
            Runner[] runners = new Runner[pool.threads()];
            pool.run(chunks, (worker, chunk) -> {
                if (runners[worker] == null) {
                    runners[worker] = new Runner(model);
                }
                int from = chunk * Trainer.CHUNK;
                int m = Math.min(Trainer.CHUNK, count - from);
                runners[worker].run(data, from, m, sums, chunk);
            });
        }
        for (int k = 0; k < norms.size(); k++) {
            BatchNorm bn = norms.get(k);
            float[] mean = bn.runningMean().value();
            float[] var = bn.runningVar().value();
            int c = mean.length;
            double values = (double) count * (bn.inputShape().size() / c);
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                double sq = 0;
                for (int chunk = 0; chunk < chunks; chunk++) {
                    s += sums[k][chunk][ch];
                    sq += sums[k][chunk][c + ch];
                }
                double mu = s / values;
                mean[ch] = (float) mu;
                var[ch] = (float) Math.max(0, sq / values - mu * mu);
            }
        }
    }

    /**
     * Depth-first, in parameter order: the batch-norm layers under {@code l} and, when {@code ctx}
     * is given, their contexts under {@code ctx}.
     */
    private static void collect(Layer l, LayerContext ctx, List<BatchNorm> norms, List<LayerContext> contexts) {
        if (l instanceof BatchNorm bn) {
            norms.add(bn);
            if (contexts != null) {
                contexts.add(ctx);
            }
        } else if (l instanceof CompositeLayer c) {
            LayerContext[] cs = ctx == null ? null : ctx.children(c.children());
            for (int i = 0; i < c.children().size(); i++) {
                collect(c.children().get(i), cs == null ? null : cs[i], norms, contexts);
            }
        }
    }

    /** One worker's tensors and contexts. */
    private static final class Runner {
        private final List<Layer> layers;
        private final Tensor[] acts;
        private final LayerContext[] contexts;
        private final List<BatchNorm> norms = new ArrayList<>();
        private final List<LayerContext> normContexts = new ArrayList<>();
        private final int[] labels = new int[Trainer.CHUNK];

        Runner(Sequential model) {
            layers = model.layers();
            acts = new Tensor[layers.size() + 1];
            contexts = new LayerContext[layers.size()];
            for (int i = 0; i <= layers.size(); i++) {
                acts[i] = new Tensor(model.shapes().get(i), Trainer.CHUNK);
            }
            for (int i = 0; i < layers.size(); i++) {
                contexts[i] = new LayerContext(layers.get(i).parameters());
                contexts[i].training(false);
                contexts[i].statistics(true);
                collect(layers.get(i), contexts[i], norms, normContexts);
            }
        }

        void run(Dataset data, int from, int m, double[][][] sums, int chunk) {
            data.copyBatch(from, m, acts[0].data(), labels);
            acts[0].batch(m);
            for (int i = 0; i < layers.size(); i++) {
                acts[i + 1].batch(m);
                layers.get(i).forward(acts[i], acts[i + 1], contexts[i]);
            }
            for (int k = 0; k < normContexts.size(); k++) {
                LayerContext ctx = normContexts.get(k);
                sums[k][chunk] = norms.get(k).statistics(ctx).clone();
            }
        }
    }
}
