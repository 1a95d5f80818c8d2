package io.github.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.loss.CrossEntropy;
import io.github.cnn4j.loss.Loss;
import io.github.cnn4j.loss.MeanSquaredError;
import io.github.cnn4j.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The divergence guard's checks as a policy object, on hand-made weights and losses. */
class DivergenceGuardPolicyTest {
    private static final Loss CE = new CrossEntropy();
    private static final double CEILING = -Math.log(CrossEntropy.EPSILON);
    private static final double GUESS = Math.log(10);

    private static Sequential net() {
        return Sequential.of(new Flatten(), new Dense(10), new Softmax()).input(1, 4, 4).seed(1).build();
    }

    private static List<BlockStats> blocks(double... means) {
        List<BlockStats> b = new ArrayList<>();
        for (int i = 0; i < means.length; i++) {
            b.add(new BlockStats(i + 1, 250L * (i + 1), 250, means[i]));
        }
        return b;
    }

    @Test
    void aWeightPastTheBoundIsNamedWithItsLayerStepAndValue() {
        Sequential m = net();
        DivergenceGuard g = DivergenceGuard.defaults();
        g.checkParameters(m, 1, 10, "x"); // a fresh model passes
        m.layers().get(1).parameters().get(1).value()[7] = -2.5e4f;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> g.checkParameters(m, 2, 41, "the 250 samples before it"));
        assertEquals("parameter bias(10) of layer 1 Dense(10) grew past the weight bound 10000.0: value 7 is -25000.0, found after "
                + "epoch 2, step 41 (set by that step or one of the 250 samples before it)", e.getMessage());
        assertEquals(1, e.layer());
        assertEquals(41, e.step());
        assertEquals(-2.5e4, e.value());
        g.withMaxWeight(1e5).checkParameters(m, 2, 41, "x");
        DivergenceGuard.nonFiniteOnly().checkParameters(m, 2, 41, "x");
    }

    @Test
    void aNonFiniteWeightIsReportedBeforeAnEarlierWeightPastTheBound() {
        Sequential m = net();
        m.layers().get(1).parameters().get(0).value()[0] = 1e9f;
        m.layers().get(1).parameters().get(1).value()[3] = Float.NaN;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> DivergenceGuard.defaults().checkParameters(m, 1, 0, "x"));
        assertTrue(e.getMessage().contains("bias(10) of layer 1 Dense(10) became non-finite: value 3 is NaN"), e.getMessage());
    }

    @Test
    void aStepWhoseMeanLossIsPastTheLossBoundIsStoppedBeforeItsUpdate() {
        DivergenceGuard g = DivergenceGuard.defaults().withMaxLoss(50);
        g.checkStep(null, null, null, 4 * 50.0, 4, 1, 3, 12); // exactly at the bound passes (no diagnosis needed)
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> g.checkStep(null, null, null, 4 * 51.0, 4, 1, 3, 12));
        assertEquals("mean loss 51.0 per sample is past the loss bound 50.0 at epoch 1, step 3 (samples 12..15 of the epoch's order); "
                + "parameters were not updated by this step", e.getMessage());
        assertEquals(51.0, e.value());
        assertEquals(-1, e.layer());
    }

    @Test
    void aBlockAtTheClippingBoundStopsAndNamesTheLargestWeight() {
        Sequential m = net();
        m.layers().get(1).parameters().get(0).value()[5] = 812.5f;
        DivergenceGuard g = DivergenceGuard.defaults();
        BlockStats healthy = new BlockStats(1, 250, 250, 0.5 * CEILING - 1e-6);
        g.checkBlock(m, CE, healthy, List.of(), 1, 249);
        BlockStats stuck = new BlockStats(2, 500, 250, 0.9 * CEILING);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> g.checkBlock(m, CE, stuck, List.of(healthy), 1, 499));
        assertTrue(e.getMessage().startsWith("loss stuck at the clipping bound: mean loss 18.6509 per sample over the 250 samples of "
                + "block 2, ending at epoch 1, step 499, is at least 0.5 of cross-entropy's ceiling 20.7233"), e.getMessage());
        assertTrue(e.getMessage().endsWith("largest weight: parameter weight(16, 10) of layer 1 Dense(10), value 5 is 812.5"), e.getMessage());
        assertEquals(499, e.step());
        assertEquals(0.9 * CEILING, e.value(), 1e-12);
        // too few samples to judge, a loss without a ceiling, or the check turned off
        g.checkBlock(m, CE, new BlockStats(3, 520, 20, CEILING), List.of(), 1, 519);
        g.checkBlock(m, new MeanSquaredError(), stuck, List.of(), 1, 499);
        g.withClippedLoss(0, 100).withWorseThanGuess(Double.POSITIVE_INFINITY, 1).checkBlock(m, CE, stuck, List.of(), 1, 499);
    }

    @Test
    void worseThanGuessingFiresOnlyWhenEveryBlockOfTheWindowIs() {
        Sequential m = net();
        DivergenceGuard g = DivergenceGuard.defaults();
        double bad = 1.2 * GUESS;
        // 7 bad blocks = 1750 samples: not yet
        List<BlockStats> seven = blocks(bad, bad, bad, bad, bad, bad, bad);
        g.checkBlock(m, CE, seven.get(6), seven.subList(0, 6), 1, 1749);
        // the 8th makes 2000 samples
        List<BlockStats> eight = blocks(bad, bad, bad, bad, bad, bad, bad, bad);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> g.checkBlock(m, CE, eight.get(7), eight.subList(0, 7), 1, 1999));
        assertTrue(e.getMessage().startsWith("loss worse than guessing: mean loss above 2.5328 in every one of blocks 1..8 (2000 samples "
                + "ending at epoch 1, step 1999; latest mean 2.7631), more than 10% above cross-entropy's 2.3026 for a uniform guess "
                + "over 10 classes"), e.getMessage());
        assertEquals(-1, e.layer());
        // one block at or below the limit within the window resets it
        List<BlockStats> broken = blocks(bad, bad, bad, bad, 1.1 * GUESS, bad, bad, bad, bad);
        g.checkBlock(m, CE, broken.get(8), broken.subList(0, 8), 1, 2249);
        // a looser margin, or a shorter window
        g.withWorseThanGuess(0.25, 2000).checkBlock(m, CE, eight.get(7), eight.subList(0, 7), 1, 1999);
        assertThrows(TrainingDivergedException.class, () -> g.withWorseThanGuess(0.1, 250).checkBlock(m, CE, eight.get(0), List.of(), 1, 249));
    }

    @Test
    void aWholeEpochAtTheClippingBoundOrWorseThanGuessingStops() {
        Sequential m = net();
        DivergenceGuard g = DivergenceGuard.defaults();
        g.checkEpoch(m, CE, 3000 * 0.4, 3000, 1, 2999);
        TrainingDivergedException guess = assertThrows(TrainingDivergedException.class, () -> g.checkEpoch(m, CE, 3000 * 2.6, 3000, 2, 2999));
        assertTrue(guess.getMessage().contains("in epoch 2 as a whole (3000 samples ending at epoch 2, step 2999; latest mean 2.6000)"),
                guess.getMessage());
        g.checkEpoch(m, CE, 1999 * 2.6, 1999, 1, 1998); // shorter than the window
        TrainingDivergedException clipped = assertThrows(TrainingDivergedException.class, () -> g.checkEpoch(m, CE, 150 * 15.0, 150, 1, 149));
        assertTrue(clipped.getMessage().contains("over the 150 samples of epoch 1"), clipped.getMessage());
        g.checkEpoch(m, CE, 99 * 15.0, 99, 1, 98); // fewer than 100 samples
        DivergenceGuard.nonFiniteOnly().checkEpoch(m, CE, 3000 * 20.0, 3000, 1, 2999);
    }

    @Test
    void settingsAreValidatedAndReadBack() {
        DivergenceGuard g = DivergenceGuard.defaults().withMaxWeight(5).withMaxLoss(6).withClippedLoss(0.75, 40).withWorseThanGuess(0.3, 500);
        assertEquals(5, g.maxWeight());
        assertEquals(6, g.maxLoss());
        assertEquals(0.75, g.clippedFraction());
        assertEquals(40, g.clippedSamples());
        assertEquals(0.3, g.worseThanGuessMargin());
        assertEquals(500, g.worseThanGuessSamples());
        assertEquals(DivergenceGuard.DEFAULT_MAX_WEIGHT, DivergenceGuard.defaults().maxWeight());
        assertThrows(IllegalArgumentException.class, () -> g.withMaxWeight(0));
        assertThrows(IllegalArgumentException.class, () -> g.withMaxLoss(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> g.withClippedLoss(1.5, 10));
        assertThrows(IllegalArgumentException.class, () -> g.withClippedLoss(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> g.withWorseThanGuess(-0.1, 10));
        assertThrows(NullPointerException.class, () -> Trainer.builder(net()).divergenceGuard(null));
    }
}
