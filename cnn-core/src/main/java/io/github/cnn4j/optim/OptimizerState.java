package io.github.cnn4j.optim;

import io.github.cnn4j.layer.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an optimizer remembers between steps, for checkpoints: its type, its fixed settings, the
 * current learning rate, the number of steps taken and its per-parameter buffers (momentum's velocity,
 * Adam's first and second moments). {@link Optimizer#importState} of an exported state continues the
 * exact same sequence of updates.
 *
 * <p>Buffers are arrays in {@link io.github.cnn4j.model.Sequential#parameters()} order, one per
 * parameter; they are empty (no slots) before the first step. The constructor copies the maps but
 * not the arrays: treat them as read-only.
 *
 * @param type            {@code sgd}, {@code momentum}, {@code adam} or a custom optimizer's name
 * @param hyperparameters fixed settings by name (e.g. {@code momentum}, {@code beta1}); must match on import
 * @param learningRate    the current learning rate, positive and finite
 * @param steps           optimizer steps taken, at least 0
 * @param slots           named per-parameter buffers, in a fixed order (empty before the first step)
 */
public record OptimizerState(String type, Map<String, Float> hyperparameters, float learningRate, long steps,
                             Map<String, float[][]> slots) {
    /** Validates and copies the maps (keeping their order). */
    public OptimizerState {
        Objects.requireNonNull(type, "type");
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + learningRate);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
        int count = -1;
        for (Map.Entry<String, float[][]> e : slots.entrySet()) {
            float[][] arrays = Objects.requireNonNull(e.getValue(), e.getKey());
            if (count >= 0 && arrays.length != count) {
                throw new IllegalArgumentException("slot '" + e.getKey() + "' has " + arrays.length + " arrays, another slot " + count);
            }
            count = arrays.length;
            for (int i = 0; i < arrays.length; i++) {
                float[] a = Objects.requireNonNull(arrays[i], e.getKey() + "[" + i + "]");
                for (int k = 0; k < a.length; k++) {
                    if (!Float.isFinite(a[k])) {
                        throw new IllegalArgumentException("slot '" + e.getKey() + "' array " + i + " value " + k + " is " + a[k]);
                    }
                }
            }
        }
    }

    /**
     * Checks that the buffers fit a model's parameters.
     *
     * @param parameters the parameters the optimizer will update
     * @throws IllegalArgumentException naming the slot and parameter that do not fit
     */
    public void checkFits(List<Parameter> parameters) {
        for (Map.Entry<String, float[][]> e : slots.entrySet()) {
            float[][] arrays = e.getValue();
            if (arrays.length != parameters.size()) {
                throw new IllegalArgumentException("optimizer slot '" + e.getKey() + "' has " + arrays.length
                        + " arrays, the model has " + parameters.size() + " parameters");
            }
            for (int i = 0; i < arrays.length; i++) {
                if (arrays[i].length != parameters.get(i).size()) {
                    throw new IllegalArgumentException("optimizer slot '" + e.getKey() + "' array " + i + " has " + arrays[i].length
                            + " values, parameter " + i + " (" + parameters.get(i) + ") has " + parameters.get(i).size());
                }
            }
        }
    }

    /** Checks type, settings and slot names against what an optimizer expects; used by the implementations. */
    void expect(String expectedType, Map<String, Float> expectedHyper, List<String> expectedSlots) {
        if (!type.equals(expectedType)) {
            throw new IllegalArgumentException("the state is of a '" + type + "' optimizer, this is '" + expectedType + "'");
        }
        if (!hyperparameters.equals(expectedHyper)) {
            throw new IllegalArgumentException("the state's " + type + " settings " + hyperparameters + " differ from this optimizer's "
                    + expectedHyper);
        }
        if (!slots.isEmpty() && !List.copyOf(slots.keySet()).equals(expectedSlots)) {
            throw new IllegalArgumentException("the state's buffers " + slots.keySet() + " are not the " + type + " buffers " + expectedSlots);
        }
        if (!expectedSlots.isEmpty() && slots.isEmpty() != (steps == 0)) {
            throw new IllegalArgumentException("a " + type + " state after " + steps + " step(s) must " + (steps == 0 ? "not " : "")
                    + "have buffers " + expectedSlots);
        }
    }

    /** Deep copy of an array of arrays; null stays null. */
    static float[][] copy(float[][] a) {
        if (a == null) {
            return null;
        }
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
