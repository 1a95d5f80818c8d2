package io.github.cnn4j.train;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.layer.Gradients;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.model.Workspace;
import io.github.cnn4j.optim.Optimizer;
import io.github.cnn4j.parallel.WorkerPool;
import io.github.cnn4j.random.Seeds;
import java.util.List;
import java.util.Objects;

/**
 * One training step in two halves: {@link #gradients} computes the gradient sums of a batch into a
 * buffer, and {@link #apply} hands those sums to the optimizer, which updates the parameters. The
 * {@link Trainer} runs every step as exactly these two calls; a distributed trainer uses the same
 * pieces, split across machines.
 *
 * <h2>What a gradient sum is, bit for bit</h2>
 * A batch of {@code count} samples is cut into chunks of {@value #CHUNK} consecutive samples, counted
 * from the batch's first sample. Each chunk's gradient sum is computed into its own buffer (on
 * whichever worker thread is free) and the chunk buffers are then added, in chunk order, into the
 * target buffer. That reduction runs on all workers too, each adding every chunk for its own slice
 * of the parameters ({@link Gradients#addSlice}): every element still receives chunk 0, then chunk 1,
 * ..., so the sum has the bits of the serial loop for any number of threads. A batch of at most {@value #CHUNK} samples is one chunk, computed directly into the
 * target. Dropout masks and augmentation of the sample at position {@code p} of epoch {@code e} are
 * seeded with {@code Seeds.mix(seed, e, p)} ({@link #noiseSeed}): a function of the sample's place in
 * the epoch, never of the thread or machine. So the sums depend only on the parameters, the samples
 * and their positions, for any number of threads.
 *
 * <h2>Distributed use</h2>
 * A data-parallel trainer (e.g. on Spark) reproduces a single-machine step like this:
 * <ol>
 *   <li>every executor holds a copy of the model whose parameters it sets to the broadcast values,
 *       and a {@code GradientStep} with the trainer's seed, loss and augmentation;</li>
 *   <li>for each chunk of the global batch it owns, it calls {@code gradients(samples, i, m, epoch,
 *       position, buffer)} on a zeroed {@link Gradients#allocate allocated} buffer, with the chunk's
 *       global position in the epoch's order, and returns the buffer and the loss sum;</li>
 *   <li>the driver adds the chunk buffers into a zeroed buffer in chunk order, as this class does,
 *       and calls {@link #apply} with the batch's sample count; it then broadcasts the new parameters.</li>
 * </ol>
 * Adding the chunks in chunk order gives the single-machine weights bit for bit; a tree reduction of
 * partial sums (each executor adding its own chunks first) changes only the rounding of the sums, so
 * the weights then agree within floating-point tolerance.
 *
 * <p>An instance owns a worker pool and one workspace per worker: it is used by one thread at a time
 * and must be {@link #close() closed}.
 */
public final class GradientStep implements AutoCloseable {
    /** Samples per gradient chunk; fixed so that results do not depend on the thread count. */
    public static final int CHUNK = 16;

    private final Sequential model;
    private final Loss loss;
    private final long seed;
    private final Augmentation augmentation;
    private final int maxBatch;
    private final WorkerPool pool;
    private final Workspace[] spaces;
    private final Gradients[] chunkGrads;
    private final double[] chunkLoss;

    /**
     * @param model        the model whose parameters are differentiated (its parameters are read, not changed)
     * @param loss         the loss
     * @param seed         seed of the per-sample noise (dropout, augmentation)
     * @param augmentation applied to every batch before the forward pass, or null for none
     * @param threads      worker threads for batches of more than {@value #CHUNK} samples, at least 1
     * @param maxBatch     the largest batch {@link #gradients} will be given, at least 1
     */
    public GradientStep(Sequential model, Loss loss, long seed, Augmentation augmentation, int threads, int maxBatch) {
        if (threads < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("threads and batch size must be >= 1, got " + threads + " and " + maxBatch);
        }
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.seed = seed;
        this.augmentation = augmentation;
        this.maxBatch = maxBatch;
        int chunks = (maxBatch + CHUNK - 1) / CHUNK;
        this.pool = new WorkerPool(chunks > 1 ? threads : 1);
        this.spaces = new Workspace[pool.threads()];
        for (int w = 0; w < spaces.length; w++) {
            spaces[w] = model.newWorkspace(Math.min(maxBatch, CHUNK));
        }
        List<Parameter> params = model.parameters();
        this.chunkGrads = new Gradients[chunks > 1 ? chunks : 0];
        for (int c = 0; c < chunkGrads.length; c++) {
            chunkGrads[c] = Gradients.allocate(params);
        }
        this.chunkLoss = new double[chunks];
    }

    /**
     * @param seed     the trainer's seed
     * @param epoch    the epoch, from 1
     * @param position the sample's position in the epoch's order, from 0
     * @return the seed of the sample's dropout masks and augmentation
     */
    public static long noiseSeed(long seed, int epoch, int position) {
        return Seeds.mix(seed, epoch, position);
    }

    /**
     * Adds the gradient sums of {@code count} samples to {@code sums} (see the class comment for the
     * exact order of the additions) and returns the sum of their losses.
     *
     * @param samples  the samples; those used are {@code from .. from + count - 1}
     * @param from     index in {@code samples} of the batch's first sample
     * @param count    samples in the batch, {@code 1..maxBatch}
     * @param epoch    the epoch, from 1 (seeds the noise)
     * @param position the batch's first sample's position in the epoch's order (seeds the noise)
     * @param sums     buffers for the model's parameters, in {@link Sequential#parameters()} order; the
     *                 batch's sums are added to what they hold (the trainer passes zeros)
     * @return the sum of the batch's per-sample losses (not checked: NaN or infinite when the batch diverged)
     */
    public double gradients(Dataset samples, int from, int count, int epoch, int position, Gradients sums) {
        if (count < 1 || count > maxBatch || from < 0 || from > samples.size() - count) {
            throw new IllegalArgumentException("batch of " + count + " samples from " + from + " of " + samples.size()
                    + ": needs 1.." + maxBatch + " samples inside the data set");
        }
        int chunks = (count + CHUNK - 1) / CHUNK;
        if (chunks == 1) {
            Workspace ws = spaces[0];
            ws.gradients(sums);
            samples.copyBatch(from, count, ws.input().data(), ws.labels());
            prepare(ws, epoch, position, count);
            model.forward(ws, count, true);
            return model.backward(ws, loss, false);
        }
        pool.run(chunks, (worker, c) -> {
            Workspace ws = spaces[worker];
            Gradients g = chunkGrads[c];
            g.zero();
            ws.gradients(g);
            int start = c * CHUNK;
            int m = Math.min(CHUNK, count - start);
            samples.copyBatch(from + start, m, ws.input().data(), ws.labels());
            prepare(ws, epoch, position + start, m);
            model.forward(ws, m, true);
            chunkLoss[c] = model.backward(ws, loss, false);
        });
        // the chunk-order sum, cut into one slice of every array per worker: each element still gets
        // chunk 0, then chunk 1, ... added, so the bits do not depend on the thread count
        int slices = Math.min(pool.threads(), chunks);
        if (slices == 1) {
            sums.addSlice(chunkGrads, chunks, 0, 1);
        } else {
            pool.run(slices, (worker, slice) -> sums.addSlice(chunkGrads, chunks, slice, slices));
        }
        double total = 0;
        for (int c = 0; c < chunks; c++) {
            total += chunkLoss[c];
        }
        return total;
    }

    /**
     * Updates the parameters from gradient sums: copies them into the parameters' gradients (unless
     * they are those, {@link Gradients#shared}) and runs one optimizer step, which divides by
     * {@code count} and sets the gradients to zero. Frozen parameters ({@link Parameter#frozen()},
     * fine-tuning) get no step, no weight decay and no optimizer state: their gradients are dropped.
     *
     * @param optimizer the optimizer
     * @param sums      gradient sums of a batch, for the parameters of one model in their order
     * @param count     samples whose gradients were summed
     */
    public static void apply(Optimizer optimizer, Gradients sums, int count) {
        List<Parameter> params = sums.parameters();
        for (int i = 0; i < params.size(); i++) {
            float[] grad = params.get(i).grad();
            float[] s = sums.array(i);
            if (s != grad) {
                System.arraycopy(s, 0, grad, 0, grad.length);
            }
        }
        List<Parameter> trainable = params.stream().filter(p -> !p.frozen()).toList();
        optimizer.step(trainable, count);
        if (trainable.size() != params.size()) {
            params.stream().filter(Parameter::frozen).forEach(Parameter::zeroGrad);
        }
    }

    /**
     * A batch-1 workspace holding one sample as a step sees it (noise seeds set, augmentation
     * applied), ready for a forward pass: for the divergence guard's diagnosis.
     */
    Workspace sample(Dataset samples, int index, int epoch, int position) {
        Workspace ws = model.newWorkspace(1);
        samples.copyBatch(index, 1, ws.input().data(), ws.labels());
        prepare(ws, epoch, position, 1);
        return ws;
    }

    /** @return the model this step differentiates */
    Sequential model() {
        return model;
    }

    /** Per-sample noise seeds for dropout, then augmentation: a function of the sample's place in the epoch. */
    private void prepare(Workspace ws, int epoch, int from, int m) {
        long[] seeds = ws.noiseSeeds();
        for (int k = 0; k < m; k++) {
            seeds[k] = noiseSeed(seed, epoch, from + k);
        }
        if (augmentation != null) {
            augmentation.apply(ws.input().data(), m, model.inputShape(), seeds);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
