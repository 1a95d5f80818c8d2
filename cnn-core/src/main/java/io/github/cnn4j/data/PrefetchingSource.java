package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a slow source (image decoding, transforms) ahead of training on its own worker threads.
 * {@link Dataset#copyBatch} tells its source which samples follow the batch it copies; this
 * source starts reading up to {@code ahead} of them, and a later read of a sample that was read
 * ahead takes the finished values (or waits for the worker already on it) instead of reading again.
 *
 * <p>Values are exactly what the wrapped source gives, whichever thread reads them: determinism
 * is unaffected. Memory: at most {@code ahead} samples are held. Close it to stop its threads
 * (they are daemon threads, so a forgotten source does not keep the JVM alive).
 */
public final class PrefetchingSource implements SampleSource, AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final SampleSource base;
    private final int ahead;
    private final ExecutorService workers;
    private final ConcurrentHashMap<Integer, CompletableFuture<float[]>> pending = new ConcurrentHashMap<>();
    /** Keys in the order they were read ahead: the oldest are dropped first when {@code ahead} are held. */
    private final ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    /**
     * @param base    the source to read ahead
     * @param threads worker threads, at least 1
     * @param ahead   most samples read ahead and held, at least 1
     */
    public PrefetchingSource(SampleSource base, int threads, int ahead) {
        if (threads < 1 || ahead < 1) {
            throw new IllegalArgumentException("threads and ahead must be >= 1, got " + threads + " and " + ahead);
        }
        this.base = base;
        this.ahead = ahead;
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cnn4j-prefetch-" + pool + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public Shape shape() {
        return base.shape();
    }

    @Override
    public ClassNames classNames() {
        return base.classNames();
    }

    @Override
    public int label(int i) {
        return base.label(i);
    }

    @Override
    public void copySample(int i, float[] dst, int off) {
        CompletableFuture<float[]> f = pending.remove(i);
        if (f != null) {
            float[] v;
            try {
                v = f.join();
            } catch (CancellationException e) {
                v = null;
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
            if (v != null) {
                System.arraycopy(v, 0, dst, off, v.length);
                return;
            }
        }
        base.copySample(i, dst, off);
    }

    @Override
    public void prefetch(int[] positions, int from, int to) {
        if (workers.isShutdown()) {
            return;
        }
        int end = Math.min(to, from + ahead);
        try {
            for (int k = from; k < end; k++) {
                int i = positions == null ? k : positions[k];
                if (pending.containsKey(i)) {
                    continue;
                }
                makeRoom();
                pending.computeIfAbsent(i, key -> {
                    order.add(key);
                    queued.incrementAndGet();
                    return CompletableFuture.supplyAsync(() -> read(key), workers);
                });
            }
        } catch (RejectedExecutionException e) {
            // closed meanwhile: reads go to the wrapped source
        }
    }

    private float[] read(int i) {
        float[] v = new float[base.shape().size()];
        base.copySample(i, v, 0);
        return v;
    }

    /** Drops the oldest samples read ahead (most likely read already, or never read) until one more fits. */
    private void makeRoom() {
        while (pending.size() >= ahead || queued.get() > 4 * ahead) {
            Integer old = order.poll();
            if (old == null) {
                return;
            }
            queued.decrementAndGet();
            CompletableFuture<float[]> f = pending.remove(old);
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** @return samples read ahead and not yet taken (for tests and monitoring) */
    public int pendingCount() {
        return pending.size();
    }

    @Override
    public long contentHash() {
        return base.contentHash();
    }

    /** Stops the worker threads; reads then go straight to the wrapped source. */
    @Override
    public void close() {
        workers.shutdownNow();
        pending.values().forEach(f -> f.cancel(false));
        pending.clear();
    }

    @Override
    public String toString() {
        return "Prefetching(" + base + ", ahead " + ahead + ")";
    }
}
