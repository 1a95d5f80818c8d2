package io.github.cnn4j.train;

/**
 * Mean training loss over one block of consecutive training samples (the paper's Fig. 5 uses
 * blocks of 250).
 *
 * @param block        block number, from 1, counted across epochs
 * @param samplesSeen  training samples processed so far, across epochs
 * @param samples      samples in this block
 * @param meanLoss     mean loss over the block
 */
public record BlockStats(long block, long samplesSeen, int samples, double meanLoss) {
}
