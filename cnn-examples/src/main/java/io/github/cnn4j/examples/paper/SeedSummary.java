package io.github.cnn4j.examples.paper;

import java.util.Arrays;

/**
 * One model's test accuracies over several seeds, beside the paper's figure.
 *
 * @param letter      A to F
 * @param paper       the paper's test accuracy in percent (Table I)
 * @param seeds       the seed numbers {@code k} (see {@link Reproduction#seed(long, int)})
 * @param accuracies  our test accuracy in percent for each seed number, same order
 */
public record SeedSummary(String letter, double paper, int[] seeds, double[] accuracies) {
    /** Checks that there is one accuracy per seed. */
    public SeedSummary {
        if (seeds.length != accuracies.length || seeds.length == 0) {
            throw new IllegalArgumentException("model " + letter + ": " + seeds.length + " seeds but " + accuracies.length + " accuracies");
        }
        seeds = seeds.clone();
        accuracies = accuracies.clone();
    }

    /** @return the number of seeds */
    public int count() {
        return accuracies.length;
    }

    /** @return the mean accuracy in percent */
    public double mean() {
        return Arrays.stream(accuracies).average().orElseThrow();
    }

    /** @return the sample standard deviation (n - 1 in the denominator) in percentage points; 0 for one seed */
    public double std() {
        int n = accuracies.length;
        if (n < 2) {
            return 0;
        }
        double m = mean();
        double ss = 0;
        for (double a : accuracies) {
            ss += (a - m) * (a - m);
        }
        return Math.sqrt(ss / (n - 1));
    }

    /** @return the lowest accuracy */
    public double min() {
        return Arrays.stream(accuracies).min().orElseThrow();
    }

    /** @return the highest accuracy */
    public double max() {
        return Arrays.stream(accuracies).max().orElseThrow();
    }

    /**
     * Where the paper's figure falls among our seeds: the percentage of our accuracies below it,
     * counting ties as half (the mid-rank percentile). 0 means every seed beat the paper, 100 means
     * the paper beat every seed, 50 is the middle.
     *
     * @return the percentile, 0 to 100
     */
    public double paperPercentile() {
        double below = 0;
        for (double a : accuracies) {
            if (a < paper) {
                below += 1;
            } else if (a == paper) {
                below += 0.5;
            }
        }
        return 100 * below / accuracies.length;
    }

    @Override
    public int[] seeds() {
        return seeds.clone();
    }

    @Override
    public double[] accuracies() {
        return accuracies.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeedSummary s && s.letter.equals(letter) && s.paper == paper && Arrays.equals(s.seeds, seeds)
                && Arrays.equals(s.accuracies, accuracies);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * letter.hashCode() + Arrays.hashCode(seeds)) + Arrays.hashCode(accuracies);
    }

    @Override
    public String toString() {
        return "SeedSummary[" + letter + ", paper=" + paper + ", seeds=" + Arrays.toString(seeds) + ", accuracies="
                + Arrays.toString(accuracies) + "]";
    }
}
