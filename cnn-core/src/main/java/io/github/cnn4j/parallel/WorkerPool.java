package io.github.cnn4j.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of worker threads that run numbered tasks and always join before returning.
 *
 * <p>The calling thread is worker 0; {@code threads - 1} daemon threads are workers 1 and up. Tasks
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

    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final int threads;
    private final ExecutorService executor;

    /** @param threads number of workers including the caller, at least 1 */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        if (threads > 1) {
            int id = POOL_IDS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "cnn4j-" + id + "-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            this.executor = Executors.newFixedThreadPool(threads - 1, tf);
        } else {
            this.executor = null;
        }
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
            futures.add(executor.submit(() -> drain(next, tasks, worker, body)));
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

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
