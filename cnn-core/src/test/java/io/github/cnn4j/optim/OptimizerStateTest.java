package io.github.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Exported optimizer state continues the exact same sequence of updates in a fresh optimizer. */
class OptimizerStateTest {

    private static List<Parameter> params() {
        List<Parameter> ps = new ArrayList<>();
        Rng r = new Rng(4);
        for (int n : new int[] {5, 3}) {
            Parameter p = new Parameter("p" + n, Shape.of(n));
            for (int i = 0; i < n; i++) {
                p.value()[i] = (float) r.nextGaussian();
            }
            ps.add(p);
        }
        return ps;
    }

    private static void grads(List<Parameter> ps, Rng r) {
        for (Parameter p : ps) {
            for (int i = 0; i < p.size(); i++) {
                p.grad()[i] = (float) r.nextGaussian();
            }
        }
    }

    private static List<float[]> values(List<Parameter> ps) {
        return ps.stream().map(p -> p.value().clone()).toList();
    }

    @Test
    void resumedOptimizersMatchUninterruptedOnesBitForBit() {
        List<Supplier<Optimizer>> kinds = List.of(() -> new Sgd(0.1), () -> new Momentum(0.05, 0.9), () -> new Adam(0.01));
        for (Supplier<Optimizer> kind : kinds) {
            List<Parameter> a = params();
            Optimizer oa = kind.get();
            Rng ra = new Rng(9);
            for (int s = 0; s < 4; s++) {
                grads(a, ra);
                oa.step(a, 2);
            }
            OptimizerState st = oa.exportState();
            assertEquals(4, st.steps(), oa.name());
            List<Parameter> b = params();
            for (int i = 0; i < a.size(); i++) {
                b.get(i).set(a.get(i).value());
            }
            Optimizer ob = kind.get();
            ob.importState(st);
            Rng rb = new Rng(ra.state());
            for (int s = 0; s < 5; s++) {
                grads(a, ra);
                oa.step(a, 2);
                grads(b, rb);
                ob.step(b, 2);
            }
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).value(), b.get(i).value(), 0f, oa.name());
            }
            // the export is a copy: stepping on does not change it
            float[][] before = st.slots().isEmpty() ? null : st.slots().values().iterator().next();
            if (before != null) {
                float first = before[0][0];
                grads(a, ra);
                oa.step(a, 1);
                assertEquals(first, before[0][0], 0f);
            }
        }
    }

    @Test
    void aFreshStateHasNoBuffersAndTheLearningRateTravels() {
        Momentum m = new Momentum(0.05, 0.9);
        OptimizerState s = m.exportState();
        assertTrue(s.slots().isEmpty());
        assertEquals(0, s.steps());
        m.learningRate(0.01f);
        Momentum other = new Momentum(0.05, 0.9);
        other.importState(m.exportState());
        assertEquals(0.01f, other.learningRate());
    }

    @Test
    void importRejectsOtherTypesSettingsAndInconsistentBuffers() {
        Adam adam = new Adam(0.01);
        List<Parameter> ps = params();
        grads(ps, new Rng(1));
        adam.step(ps, 1);
        OptimizerState s = adam.exportState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(0.01).importState(s));
        assertTrue(e.getMessage().contains("'adam' optimizer, this is 'sgd'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(0.01, 0.8, 0.999, 1e-8).importState(s));
        assertTrue(e.getMessage().contains("settings"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Momentum(0.1, 0.9).importState(new OptimizerState("momentum", Map.of("momentum", 0.9f), 0.1f, 3, Map.of())));
        assertTrue(e.getMessage().contains("after 3 step(s) must have buffers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OptimizerState("sgd", Map.of(), Float.NaN, 0, Map.of()));
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new OptimizerState("momentum", Map.of(), 0.1f, 1, Map.of("velocity", new float[][] {{1, Float.NaN}})));
        assertTrue(e.getMessage().contains("is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.checkFits(List.of(ps.get(0))));
        assertTrue(e.getMessage().contains("2 arrays, the model has 1 parameters"), e.getMessage());
    }

    @Test
    void customOptimizersWithoutStateSayWhy() {
        Optimizer custom = new Optimizer() {
            @Override
            public void step(List<Parameter> parameters, int batchSize) {
            }

            @Override
            public float learningRate() {
                return 1;
            }

            @Override
            public void learningRate(float lr) {
            }

            @Override
            public String name() {
                return "custom";
            }
        };
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, custom::exportState);
        assertTrue(e.getMessage().contains("custom cannot export its state"), e.getMessage());
    }
}
