package io.github.cnn4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.kernel.Vectorization;
import io.github.cnn4j.layer.AvgPool;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Dropout;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.GlobalAvgPool;
import io.github.cnn4j.layer.Layer;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link MemoryCost} is computed from the configured layers with the shapes {@link Sequential.Builder#shapes()}
 * infers (the same inference {@code build()} runs), before anything exists: its parameter count is the
 * built model's, and its workspace figure is an upper bound of what a workspace really allocates in
 * a forward and backward pass (measured with the JVM's per-thread allocation counter).
 */
class MemoryCostTest {
    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A random architecture of every layer kind, composites included, on a 1 x 12 x 12 input. */
    private static List<Layer> architecture(long seed) {
        Rng r = new Rng(seed);
        List<Layer> ls = new ArrayList<>();
        int blocks = 1 + r.nextInt(2);
        for (int b = 0; b < blocks; b++) {
            Conv c = new Conv(1 + 2 * r.nextInt(2), 1 + 2 * r.nextInt(2), 1 + r.nextInt(6)).padding(r.nextInt(3));
            ls.add(r.nextInt(4) == 0 ? c.stride(2) : c);
            if (r.nextInt(2) == 0) {
                ls.add(new BatchNorm());
            }
            ls.add(new ReLU());
            int pool = r.nextInt(3);
            ls.add(pool == 0 ? new MaxPool(2) : pool == 1 ? new MaxPool(3) : new AvgPool(2));
            if (r.nextInt(3) == 0) {
                // a composite: a nested block in a residual connection (a projection shortcut when it changes the channels)
                ls.add(new Residual(new Block(new Conv(3, 3, 1 + r.nextInt(4)).padding(1), new BatchNorm(), new ReLU())));
            }
        }
        if (r.nextInt(4) == 0) {
            ls.add(new GlobalAvgPool());
        }
        ls.add(new Flatten());
        if (r.nextInt(2) == 0) {
            ls.add(new Dense(1 + r.nextInt(20)));
            ls.add(r.nextInt(2) == 0 ? new Dropout(0.3) : new Sigmoid());
        }
        ls.add(new Dense(10));
        ls.add(new Softmax());
        return ls;
    }

    private static long stored(Sequential m) {
        long n = 0;
        for (Parameter p : m.parameters()) {
            n += p.size();
        }
        for (Parameter p : m.state()) {
            n += p.size();
        }
        return n;
    }

    @Property(tries = 80)
    void theCostIsKnownBeforeBuildingAndBoundsWhatAWorkspaceAllocates(@ForAll long seed, @ForAll @IntRange(min = 1, max = 24) int capacity) {
        List<Layer> layers = architecture(seed);
        Sequential.Builder b = Sequential.of(layers).input(1, 12, 12).seed(seed);
        List<Shape> shapes;
        try {
            shapes = b.shapes();
        } catch (IllegalArgumentException e) {
            Assume.that(false); // layers that do not fit: build() refuses them the same way (checked below)
            return;
        }
        MemoryCost cost = b.cost();
        Sequential m = b.build();
        assertEquals(m.shapes(), shapes);
        assertEquals(stored(m), cost.parameterCount(), m.toString());
        assertEquals(8 * stored(m), cost.modelBytes());
        assertEquals(MemoryCost.of(m).parameterCount(), cost.parameterCount());

        // The scalar kernels allocate nothing but the workspace; the Vector API ones, before the JIT compiles
        // them, allocate short-lived vector boxes that the allocation counter would count (the suite also runs without them).
        if (Vectorization.enabled()) {
            return;
        }
        run(m, capacity); // once to load classes and compile
        long before = MX.getThreadAllocatedBytes(Thread.currentThread().getId());
        run(m, capacity);
        long allocated = MX.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        long estimate = cost.workspaceBytes(capacity, true);
        assertTrue(allocated <= estimate + (64 << 10), m + " capacity " + capacity + ": allocated " + allocated + ", estimated " + estimate);
        assertTrue(cost.workspaceBytes(capacity, false) <= estimate);
    }

    /** A workspace, a training forward pass and a backward pass with the input gradient. */
    private static void run(Sequential m, int capacity) {
        Workspace ws = m.newWorkspace(capacity);
        for (int i = 0; i < capacity; i++) {
            ws.labels()[i] = i % 10;
        }
        m.forward(ws, capacity, true);
        m.backward(ws, new CrossEntropy(), true);
    }

    @Test
    void shapesRefuseWhatBuildRefusesWithTheSameMessage() {
        Sequential.Builder b = Sequential.of(new Conv(5, 5, 2), new MaxPool(2), new Conv(9, 9, 2), new Flatten(), new Dense(10))
                .input(1, 12, 12);
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class, b::shapes);
        IllegalArgumentException build = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals(build.getMessage(), shapes.getMessage());
        assertTrue(shapes.getMessage().startsWith("layer 2 Conv(9x9, 2 filters) cannot take input (2, 4, 4)"), shapes.getMessage());
    }

    @Test
    void aHugeModelIsMeasuredWithoutBeingBuilt() {
        // the paper's input, a 300,000-unit layer: 235 million parameters (1.9 GB with gradients), nothing allocated
        long before = MX.getThreadAllocatedBytes(Thread.currentThread().getId());
        MemoryCost c = Sequential.of(new Flatten(), new Dense(300_000), new Dense(10), new Softmax()).input(1, 28, 28).cost();
        long allocated = MX.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(784L * 300_000 + 300_000 + 300_000L * 10 + 10, c.parameterCount());
        assertEquals(8 * c.parameterCount(), c.modelBytes());
        assertTrue(allocated < 1 << 20, allocated + " bytes");
        // a convolution padded by 686 and a 1398 x 1398 pooling: 15.7 million activations a sample
        MemoryCost p = Sequential.of(new Conv(3, 3, 8).padding(686), new MaxPool(1398), new Flatten(), new Dense(10)).input(1, 28, 28).cost();
        assertTrue(p.workspaceBytes(8, false) > 8L * 4 * 1398 * 1398 * 8, Long.toString(p.workspaceBytes(8, false)));
    }

    @Test
    void aWorkspaceBeyondTheBudgetIsRefusedBeforeItIsAllocated() {
        Sequential m = Sequential.of(new Conv(3, 3, 8).padding(100), new ReLU(), new MaxPool(2), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).build();
        String before = System.getProperty(MemoryBudget.PROPERTY);
        System.setProperty(MemoryBudget.PROPERTY, "16m");
        try {
            MemoryBudgetException e = assertThrows(MemoryBudgetException.class, () -> m.newWorkspace(64));
            assertTrue(e.getMessage().startsWith("a workspace of 64 sample(s) for 6 layers: needs "), e.getMessage());
            assertTrue(e.getMessage().endsWith("more than the memory budget of 16.0 MiB (-Dcnn4j.memoryBudget=16m)"), e.getMessage());
            m.newWorkspace(1); // a small one fits
        } finally {
            if (before == null) {
                System.clearProperty(MemoryBudget.PROPERTY);
            } else {
                System.setProperty(MemoryBudget.PROPERTY, before);
            }
        }
    }
}
