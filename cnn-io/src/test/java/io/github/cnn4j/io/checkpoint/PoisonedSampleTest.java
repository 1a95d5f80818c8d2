package io.github.cnn4j.io.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.TestFiles;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.train.CheckpointSink;
import io.github.cnn4j.train.EpochStats;
import io.github.cnn4j.train.TrainingDivergedException;
import io.github.cnn4j.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The divergence guard on real data: one MNIST image poisoned after the first epoch (finite pixels
 * so large that the first convolution overflows) stops training in the second epoch with a message
 * naming the step, the layer and the value; the last good checkpoint and the best model on disk stay
 * exactly as they were, and once the data is repaired the run continues from that checkpoint to the
 * same weights as a run that never met the poison.
 */
class PoisonedSampleTest {
    private static final int VICTIM = 321;

    @TempDir
    Path dir;

    @Test
    void aPoisonedSampleStopsTrainingAndLeavesTheLastGoodFilesIntact() throws IOException {
        Dataset clean = Fixtures.train(500);
        Dataset test = Fixtures.test(200);
        float[] storage = new float[clean.size() * 784];
        clean.copyBatch(0, clean.size(), storage, new int[clean.size()]);
        float[] victimPixels = Arrays.copyOfRange(storage, VICTIM * 784, (VICTIM + 1) * 784);
        // The Dataset keeps this array: changing it later stands in for memory or a file going bad mid-run.
        Dataset data = new Dataset(storage, clean.labels(), clean.shape(), clean.classes());

        Path ckpt = dir.resolve("run.ckpt");
        Path best = dir.resolve("best.json");
        Sequential m = Fixtures.modelD();
        byte[][] lastGood = new byte[1][];
        CheckpointSink files = CheckpointFormat.sink(ckpt, m, Map.of());
        CheckpointSink sink = s -> {
            files.save(s);
            lastGood[0] = Files.readAllBytes(ckpt);
        };
        byte[][] bestBytes = new byte[1][];
        TrainingListener saveBestAndPoison = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats e) {
                try {
                    if (e.best()) {
                        NativeModelFormat.write(best, m);
                        bestBytes[0] = Files.readAllBytes(best);
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                if (e.epoch() == 1) {
                    Arrays.fill(storage, VICTIM * 784, (VICTIM + 1) * 784, 3e38f); // Dataset refuses NaN and infinities, not this
                }
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Fixtures.trainer(m, test, 2)
                .listener(saveBestAndPoison).checkpoints(sink).checkpointEvery(100).build().fit(data));
        String msg = e.getMessage();
        assertTrue(msg.contains("at epoch 2, step "), msg);
        assertTrue(msg.contains("parameters were not updated by this step"), msg);
        assertTrue(msg.contains("first non-finite value: output of layer 0 Conv(3x3, 8 filters) for training sample " + VICTIM), msg);
        assertTrue(msg.matches("(?s).* is (-?Infinity|NaN)$"), msg);
        assertEquals(2, e.epoch());
        assertEquals(0, e.layer());
        assertTrue(Double.isInfinite(e.value()) || Double.isNaN(e.value()));

        // the files are exactly the last good ones
        assertArrayEquals(lastGood[0], Files.readAllBytes(ckpt));
        assertArrayEquals(bestBytes[0], Files.readAllBytes(best));
        assertEquals(List.of("best.json", "run.ckpt"), TestFiles.list(dir));
        Checkpoint c = CheckpointFormat.read(ckpt);
        // checkpoints came at the end of epoch 1 and every 100 samples: the last is the one just before the bad step
        assertEquals(500 + e.step() / 100 * 100, c.state().samplesSeen(), c.state() + " vs " + msg);

        // resuming on the still-poisoned data is refused: it is not the data the checkpoint was made with
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Fixtures.trainer(Fixtures.modelD(), test, 2).build().fit(data, c.state()));
        assertTrue(refused.getMessage().contains("data fingerprint"), refused.getMessage());

        // repaired, the run continues from the last good checkpoint to the weights of a run that never met the poison
        System.arraycopy(victimPixels, 0, storage, VICTIM * 784, 784);
        Sequential resumed = Fixtures.modelD();
        Fixtures.trainer(resumed, test, 2).build().fit(data, c.state());
        Sequential cleanRun = Fixtures.modelD();
        Fixtures.trainer(cleanRun, test, 2).build().fit(clean);
        float[][] a = Fixtures.weights(cleanRun);
        float[][] b = Fixtures.weights(resumed);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0f, "parameter " + i);
        }
    }
}
