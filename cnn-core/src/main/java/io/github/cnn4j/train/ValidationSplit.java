package io.github.cnn4j.train;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.random.Rng;
import io.github.cnn4j.random.Seeds;
import java.util.Arrays;

/**
 * A training set cut into the part that is trained on and a held-out validation part, used for
 * early stopping, keeping the best epoch and reduce-on-plateau without ever looking at the test set.
 *
 * <p>The cut is a seeded uniform random permutation of the sample positions (Fisher-Yates with an
 * {@link Rng} seeded by {@code Seeds.mix(seed, SALT)}): the last {@code round(fraction * n)}
 * positions of the permutation become the validation part, the rest the training part, each kept
 * in the original order. Both are views sharing the original storage.
 *
 * @param train      the samples trained on
 * @param validation the held-out samples
 */
public record ValidationSplit(Dataset train, Dataset validation) {
    /** Separates the split's random stream from the shuffling stream of the same seed. */
    public static final long SALT = 0x76616C6964L; // "valid"

    /**
     * @param data     the full training set
     * @param fraction share held out, in (0, 0.5]
     * @param seed     the trainer's seed
     * @return the split; each part has at least one sample
     * @throws IllegalArgumentException when the fraction is out of range or the data too small to split
     */
    public static ValidationSplit of(Dataset data, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 0.5)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 0.5], got " + fraction);
        }
        int n = data.size();
        int held = (int) Math.round(fraction * n);
        if (held < 1 || held >= n) {
            throw new IllegalArgumentException("cannot hold out " + fraction + " of " + n + " samples: each part needs at least one");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Rng rng = new Rng(Seeds.mix(seed, SALT));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] train = new int[n - held];
        int[] validation = new int[held];
        System.arraycopy(order, 0, train, 0, n - held);
        System.arraycopy(order, n - held, validation, 0, held);
        Arrays.sort(train);
        Arrays.sort(validation);
        return new ValidationSplit(data.select(train), data.select(validation));
    }
}
