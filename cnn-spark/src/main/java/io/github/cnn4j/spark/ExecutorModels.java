package io.github.cnn4j.spark;

import io.github.cnn4j.data.Augmentation;
import io.github.cnn4j.layer.Gradients;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.train.GradientStep;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The models of a training run in one executor JVM: a task borrows one (a model decoded from the
 * broadcast, a single-threaded {@link GradientStep} and a gradient buffer), so each executor thread
 * works in its own workspace and models are decoded once per thread, not per step.
 */
final class ExecutorModels {
    private static final Map<String, Queue<Worker>> IDLE = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    /** One executor thread's copy of the model. */
    static final class Worker {
        final Sequential model;
        final GradientStep step;
        final Gradients buffer;
        long version = -1;

        Worker(Sequential model, GradientStep step) {
            this.model = model;
            this.step = step;
            this.buffer = Gradients.allocate(model.parameters());
        }

        /** Sets the parameters to the step's broadcast values, unless this worker already has them. */
        void parameters(long stepVersion, float[][] values) {
            if (version == stepVersion) {
                return;
            }
            List<Parameter> params = model.parameters();
            if (values.length != params.size()) {
                throw new IllegalStateException("broadcast holds " + values.length + " parameters, the model " + params.size());
            }
            for (int i = 0; i < values.length; i++) {
                params.get(i).set(values[i]);
            }
            version = stepVersion;
        }
    }

    static Worker borrow(String run, byte[] model, SerializableSupplier<io.github.cnn4j.loss.Loss> loss,
                         SerializableSupplier<Augmentation> augmentation, long seed) {
        Worker w = IDLE.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>()).poll();
        if (w != null) {
            return w;
        }
        Sequential m = ModelBytes.decode(model).model();
        return new Worker(m, new GradientStep(m, loss.get(), seed, augmentation == null ? null : augmentation.get(), 1, GradientStep.CHUNK));
    }

    static void giveBack(String run, Worker w) {
        IDLE.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>()).offer(w);
    }

    /** Drops a finished run's models in this JVM. */
    static void release(String run) {
        Queue<Worker> q = IDLE.remove(run);
        if (q != null) {
            q.forEach(w -> w.step.close());
        }
    }
}
