package io.github.cnn4j.testing;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;

/** Small seeded data generators shared by the tests. */
public final class TestData {
    private TestData() {
    }

    /**
     * @param rng source
     * @param n   count
     * @param lo  inclusive lower bound
     * @param hi  exclusive upper bound
     * @return uniform floats
     */
    public static float[] uniform(Rng rng, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + rng.nextDouble() * (hi - lo));
        }
        return a;
    }

    /**
     * Maps values in [-1, 1] to [-1, -margin] ∪ [margin, 1] (keeps ReLU inputs away from the kink).
     *
     * @param v      values in [-1, 1] (modified)
     * @param margin smallest magnitude
     * @return {@code v}
     */
    public static float[] awayFromZero(float[] v, float margin) {
        for (int i = 0; i < v.length; i++) {
            float m = margin + (1 - margin) * Math.abs(v[i]);
            v[i] = v[i] < 0 ? -m : m;
        }
        return v;
    }

    /**
     * @param shape    sample shape
     * @param batch    current batch
     * @param capacity capacity (at least batch)
     * @param values   at least {@code batch * shape.size()} values
     * @return a tensor holding them
     */
    public static Tensor tensor(Shape shape, int batch, int capacity, float[] values) {
        Tensor t = new Tensor(shape, capacity).batch(batch);
        System.arraycopy(values, 0, t.data(), 0, batch * shape.size());
        return t;
    }

    /**
     * Two easily separable classes on {@code 1 x size x size}: class 0 is a horizontal bar, class 1
     * a vertical bar, each 1 pixel wide and at least {@code size - 4} long at a random position,
     * with uniform background noise in {@code [0, noise)} added everywhere.
     *
     * @param n     samples
     * @param size  image side
     * @param noise noise amplitude
     * @param seed  seed
     * @return the dataset (labels balanced in expectation)
     */
    public static Dataset bars(int n, int size, double noise, long seed) {
        Rng rng = new Rng(seed);
        float[] images = new float[n * size * size];
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            int label = rng.nextInt(2);
            labels[s] = label;
            int off = s * size * size;
            for (int k = 0; k < size * size; k++) {
                images[off + k] = (float) (rng.nextDouble() * noise);
            }
            int line = 1 + rng.nextInt(size - 2);
            int len = size - 4 + rng.nextInt(4);
            int start = rng.nextInt(size - len + 1);
            for (int t = start; t < start + len; t++) {
                int row = label == 0 ? line : t;
                int col = label == 0 ? t : line;
                images[off + row * size + col] = 1f;
            }
        }
        return new Dataset(images, labels, Shape.of(1, size, size), 2);
    }

    /**
     * Random samples and labels of a shape.
     *
     * @param n       samples
     * @param shape   shape
     * @param classes classes
     * @param seed    seed
     * @return the dataset with values in [0, 1)
     */
    public static Dataset random(int n, Shape shape, int classes, long seed) {
        Rng rng = new Rng(seed);
        float[] images = uniform(rng, n * shape.size(), 0, 1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
        }
        return new Dataset(images, labels, shape, classes);
    }
}
