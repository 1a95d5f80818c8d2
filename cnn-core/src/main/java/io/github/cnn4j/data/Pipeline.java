package io.github.cnn4j.data;

import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Transforms applied one after the other; stage {@code k} gets the seed {@code Seeds.mix(seed, k)},
 * so the stages draw independently. An {@link Augmentation} such as {@link RandomAffine} can be a
 * stage ({@link #of(Augmentation)}).
 *
 * <pre>{@code
 * Pipeline prep = Pipeline.of(new Resize(32, 32), new ConvertChannels(3), new Normalize(mean, std));
 * Dataset data = Dataset.of(new TransformedSource(source, prep, seed));           // fixed per sample
 * Trainer.builder(model).augmentation(Pipeline.of(new RandomCrop(32, 32, 4), new HorizontalFlip(0.5))
 *         .asAugmentation());                                                      // new every epoch
 * }</pre>
 */
public final class Pipeline implements Transform {
    private final List<Transform> stages;

    private Pipeline(List<Transform> stages) {
        this.stages = List.copyOf(stages);
    }

    /**
     * @param stages the transforms, in order (none: the identity)
     * @return the pipeline
     */
    public static Pipeline of(Transform... stages) {
        return new Pipeline(List.of(stages));
    }

    /**
     * @param stages the transforms, in order
     * @return the pipeline
     */
    public static Pipeline of(List<Transform> stages) {
        return new Pipeline(stages);
    }

    /**
     * A shape-preserving augmentation as a transform: the sample is copied, then augmented in place
     * with {@code seed} as its per-sample seed.
     *
     * @param augmentation e.g. {@link RandomAffine}
     * @return the transform
     */
    public static Transform of(Augmentation augmentation) {
        return new Transform() {
            @Override
            public Shape outputShape(Shape in) {
                return in;
            }

            @Override
            public void apply(float[] src, int srcOff, Shape in, float[] dst, int dstOff, long seed) {
                float[] one = new float[in.size()];
                System.arraycopy(src, srcOff, one, 0, one.length);
                augmentation.apply(one, 1, in, new long[] {seed});
                System.arraycopy(one, 0, dst, dstOff, one.length);
            }

            @Override
            public String toString() {
                return augmentation.toString();
            }
        };
    }

    /**
     * @param next transforms to run after these
     * @return a new pipeline
     */
    public Pipeline then(Transform... next) {
        List<Transform> all = new ArrayList<>(stages);
        all.addAll(List.of(next));
        return new Pipeline(all);
    }

    /** @return the stages, in order */
    public List<Transform> stages() {
        return stages;
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape s = in;
        for (Transform t : stages) {
            s = t.outputShape(s);
        }
        return s;
    }

    @Override
    public void apply(float[] src, int srcOff, Shape in, float[] dst, int dstOff, long seed) {
        if (stages.isEmpty()) {
            System.arraycopy(src, srcOff, dst, dstOff, in.size());
            return;
        }
        float[] cur = src;
        int curOff = srcOff;
        Shape shape = in;
        for (int k = 0; k < stages.size(); k++) {
            Transform t = stages.get(k);
            Shape out = t.outputShape(shape);
            boolean last = k == stages.size() - 1;
            float[] next = last ? dst : new float[out.size()];
            t.apply(cur, curOff, shape, next, last ? dstOff : 0, Seeds.mix(seed, k));
            cur = next;
            curOff = 0;
            shape = out;
        }
    }

    /**
     * This pipeline as training augmentation: every sample of every batch is transformed with the
     * trainer's per-sample seed. The pipeline must keep the model's input shape.
     *
     * @return the augmentation
     */
    public Augmentation asAugmentation() {
        return new Augmentation() {
            @Override
            public void apply(float[] batch, int n, Shape shape, long[] sampleSeeds) {
                Shape out = outputShape(shape);
                if (!out.equals(shape)) {
                    throw new IllegalArgumentException("an augmentation must keep the sample shape " + shape + ", " + Pipeline.this
                            + " makes " + out);
                }
                int size = shape.size();
                float[] one = new float[size];
                for (int k = 0; k < n; k++) {
                    System.arraycopy(batch, k * size, one, 0, size);
                    Pipeline.this.apply(one, 0, shape, batch, k * size, sampleSeeds[k]);
                }
            }

            @Override
            public String toString() {
                return Pipeline.this.toString();
            }
        };
    }

    @Override
    public String toString() {
        return "Pipeline" + stages;
    }
}
