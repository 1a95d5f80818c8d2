package io.github.cnn4j.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of workers that run numbered tasks and always join before returning.
 *
 * <p>The calling thread is worker 0; {@code threads - 1} daemon threads are workers 1 and up. The
 * daemon threads come from one set shared by all pools (created on demand, ended after
 * {@value #IDLE_SECONDS} s idle), so making a pool is cheap. Tasks
 * are taken in increasing order from a shared counter, so which worker runs which task varies, but
 * every task runs exactly once and all have finished when {@link #run} returns. Callers that need
 * results independent of the thread count give each task its own output and combine the outputs in
 * task order afterwards.
 */
public final class WorkerPool implements AutoCloseable {
    /** Work on one task. */
    @FunctionalInterface
    public interface Task {
        /**
         * @param worker the worker running it, {@code 0 <= worker < threads()}: index per-worker state with it
         * @param task   the task number
         */
        void run(int worker, int task);
    }

    /** Seconds an idle helper thread is kept. */
    static final long IDLE_SECONDS = 30;

    /**
     * The helper threads of every pool: daemon threads created on demand and kept for
     * {@value #IDLE_SECONDS} s when idle, so that a pool made per call (as
     * {@code Sequential.predict} does) does not start threads each time.
     */
    private static final ExecutorService HELPERS = helpers();

    private final int threads;

    /** @param threads number of workers including the caller, at least 1 */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    private static ExecutorService helpers() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "cnn4j-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), tf);
    }

    /** @return number of workers, including the calling thread */
    public int threads() {
        return threads;
    }

    /**
     * Runs tasks {@code 0 .. tasks-1} and waits for all of them. The wait is not cut short by an
     * interrupt; the calling thread's interrupt status is set again before returning.
     *
     * @param tasks number of tasks
     * @param body  the work
     * @throws RuntimeException the first failure of any task, after all workers have stopped
     */
    public void run(int tasks, Task body) {
        if (tasks <= 0) {
            return;
        }
        int workers = Math.min(threads, tasks);
        if (workers == 1) {
            for (int t = 0; t < tasks; t++) {
                body.run(0, t);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            final int worker = w;
            futures.add(HELPERS.submit(() -> drain(next, tasks, worker, body)));
        }
        Throwable failure = null;
        try {
            drain(next, tasks, 0, body);
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(tasks); // let the others stop early
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                } catch (InterruptedException e) {
                    // keep waiting: no task may still be running when run() returns
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new IllegalStateException("worker failed", failure);
        }
    }

    private static void drain(AtomicInteger next, int tasks, int worker, Task body) {
        for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
            body.run(worker, t);
        }
    }

    /**
     * Releases the pool. Its helper threads are shared and return to the idle set (every
     * {@link #run} has joined them already), so this does not wait for anything.
     */
    @Override
    public void close() {
        // nothing to release: run() never returns while a helper still works for this pool
    }
}
