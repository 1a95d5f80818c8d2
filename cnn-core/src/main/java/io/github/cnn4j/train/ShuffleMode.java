package io.github.cnn4j.train;

/** How the training order changes between epochs. All modes are driven by the trainer's seeded RNG. */
public enum ShuffleMode {
    /** Always the dataset's own order. */
    NONE,
    /** A fresh uniform (Fisher-Yates) permutation before every epoch. */
    FULL,
    /**
     * The paper's scheme: the first epoch in file order, then after each epoch {@code 0.2 * N}
     * random swaps of two positions applied to the current order.
     */
    PAPER
}
