package io.github.cnn4j.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    /** Only a guard against hanging forever; no assertion depends on timing. */
    private static final long GUARD_SECONDS = 30;

    @Test
    void runsEveryTaskExactlyOnceWithValidWorkerIndices() {
        for (int threads = 1; threads <= 4; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                assertEquals(threads, pool.threads());
                for (int tasks : new int[] {0, 1, 3, 17, 500}) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(tasks, 1));
                    int t = threads;
                    pool.run(tasks, (worker, task) -> {
                        if (worker < 0 || worker >= t) {
                            throw new AssertionError("worker " + worker);
                        }
                        runs.incrementAndGet(task);
                    });
                    for (int i = 0; i < tasks; i++) {
                        assertEquals(1, runs.get(i), "task " + i + " with " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void workersRunConcurrentlyAndTheCallerIsWorkerZero() throws Exception {
        try (WorkerPool pool = new WorkerPool(3)) {
            CyclicBarrier allThree = new CyclicBarrier(3);
            Set<Integer> workers = ConcurrentHashMap.newKeySet();
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            Thread caller = Thread.currentThread();
            boolean[] callerIsZero = {true};
            pool.run(3, (worker, task) -> {
                workers.add(worker);
                threads.add(Thread.currentThread());
                if ((worker == 0) != (Thread.currentThread() == caller)) {
                    callerIsZero[0] = false;
                }
                try {
                    allThree.await(GUARD_SECONDS, TimeUnit.SECONDS);   // only passes if three tasks run at once
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(Set.of(0, 1, 2), workers);
            assertEquals(3, threads.size());
            assertTrue(callerIsZero[0]);
        }
    }

    @Test
    void aFailingTaskIsRethrownAfterTheOthersHaveFinished() {
        try (WorkerPool pool = new WorkerPool(3)) {
            CyclicBarrier allThree = new CyclicBarrier(3);
            AtomicInteger started = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run(3, (worker, task) -> {
                started.incrementAndGet();
                try {
                    allThree.await(GUARD_SECONDS, TimeUnit.SECONDS);
                    if (worker == 2) {
                        throw boom;   // from a pool thread, not the caller
                    }
                    Thread.sleep(200);  // still busy when the failure happens
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException(e);
                }
                finished.incrementAndGet();
            }));
            assertSame(boom, thrown);
            assertEquals(3, started.get());
            assertEquals(2, finished.get(), "run() returned while a task was still running");

            // the pool is still usable
            AtomicInteger count = new AtomicInteger();
            pool.run(10, (w, t) -> count.incrementAndGet());
            assertEquals(10, count.get());
        }
    }

    @Test
    void aFailureOnTheCallingThreadStopsHandingOutTasksAndErrorsPropagate() {
        try (WorkerPool pool = new WorkerPool(1)) {
            AtomicInteger ran = new AtomicInteger();
            RuntimeException e = assertThrows(RuntimeException.class, () -> pool.run(10, (w, t) -> {
                ran.incrementAndGet();
                if (t == 3) {
                    throw new UnsupportedOperationException("task 3");
                }
            }));
            assertEquals("task 3", e.getMessage());
            assertEquals(4, ran.get());
        }
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThrows(StackOverflowError.class, () -> pool.run(4, (w, t) -> {
                if (t == 1) {
                    throw new StackOverflowError("deliberate");
                }
            }));
        }
    }

    @Test
    void anInterruptedCallerStillWaitsForItsWorkers() throws Exception {
        try (WorkerPool pool = new WorkerPool(2)) {
            CountDownLatch otherStarted = new CountDownLatch(1);
            AtomicInteger running = new AtomicInteger();
            pool.run(2, (worker, task) -> {
                if (worker == 0) {
                    try {
                        otherStarted.await(GUARD_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    Thread.currentThread().interrupt();   // the caller is interrupted while it must still join
                } else {
                    running.incrementAndGet();
                    otherStarted.countDown();
                    long until = System.nanoTime() + 300_000_000L;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    running.decrementAndGet();
                }
            });
            boolean interrupted = Thread.interrupted();   // clears the flag for the rest of the suite
            assertEquals(0, running.get(), "run() returned while a worker was still running its task");
            assertTrue(interrupted, "the caller's interrupt status is preserved");
        }
    }

    @Test
    void rejectsZeroThreads() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
        WorkerPool p = new WorkerPool(2);
        p.close();
        p.close();
    }
}
