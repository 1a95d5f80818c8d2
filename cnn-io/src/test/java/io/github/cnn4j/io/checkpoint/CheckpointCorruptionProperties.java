package io.github.cnn4j.io.checkpoint;

import io.github.cnn4j.io.Corruption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random truncations, flipped, overwritten, inserted and deleted bytes of real checkpoints (model D
 * trained on real MNIST, Adam buffers, mid-epoch, best epoch kept). Reading must throw the library's
 * {@link FormatException} with a message naming the file, or return a complete, consistent
 * checkpoint; never another exception and never a partial one. A second property re-seals the
 * checksum after the damage, so that every structural check is exercised as if a hostile or buggy
 * writer had produced the file.
 */
class CheckpointCorruptionProperties {
    private static Path dir;
    private static byte[] checkpoint;
    private static byte[] noBest;

    @BeforeContainer
    static void files() throws IOException {
        dir = Files.createTempDirectory("cnn4j-checkpoint-corruption-");
        Dataset train = Fixtures.train(300);
        Dataset test = Fixtures.test(100);
        List<TrainingState> states = new ArrayList<>();
        Sequential m = Fixtures.modelD();
        Fixtures.trainer(m, test, 2).checkpoints(states::add).checkpointEvery(120).build().fit(train);
        TrainingState mid = states.stream().filter(s -> s.epoch() == 2 && !s.epochFinished()).findFirst().orElseThrow();
        Path f = dir.resolve("mid.ckpt");
        CheckpointFormat.write(f, m, mid, Map.of("config", "model_D.json"));
        checkpoint = Files.readAllBytes(f);
        Path g = dir.resolve("first.ckpt");
        CheckpointFormat.write(g, m, states.get(0), Map.of());
        noBest = Files.readAllBytes(g);
    }

    @AfterContainer
    static void cleanup() throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Provide
    Arbitrary<Corruption> corruptions() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1), Arbitraries.of(true, false),
                Arbitraries.longs(), Arbitraries.integers().between(1, 8)).as(Corruption::new);
    }

    /** Reads corrupted bytes: a FormatException naming the file, or a checkpoint that is whole and consistent. */
    private static void check(byte[] original, byte[] bytes) {
        Path f;
        try {
            f = Files.createTempFile(dir, "c", ".ckpt");
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Checkpoint c = CheckpointFormat.read(f);
            // TrainingState's constructor has checked every invariant; the models must be whole and finite
            TrainingState s = c.state();
            List<Parameter> ps = c.model().parameters();
            assertEquals(ps.size(), s.parameters().length);
            for (int i = 0; i < ps.size(); i++) {
                assertArrayEquals(s.parameters()[i], ps.get(i).value(), 0f);
                for (float v : ps.get(i).value()) {
                    assertTrue(Float.isFinite(v));
                }
            }
            Statistics.collect(java.util.Arrays.equals(original, bytes) ? "unchanged" : "valid despite the change");
        } catch (FormatException e) {
            assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
            assertFalse(e.detail().isBlank(), e.getMessage());
            String d = e.detail();
            Statistics.collect(d.startsWith("checksum") ? "checksum" : d.startsWith("section") ? "section check"
                    : d.startsWith("truncated") || d.startsWith("not a") ? "header" : "other structural check");
        } catch (Throwable t) {
            throw new AssertionError("reading threw " + t + " instead of a FormatException", t);
        } finally {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // removed with the directory
            }
        }
    }

    @Property(tries = 300)
    void damagedCheckpoints(@ForAll("corruptions") Corruption c) {
        check(checkpoint, c.apply(checkpoint));
    }

    @Property(tries = 400)
    void damagedCheckpointsWithAValidChecksum(@ForAll("corruptions") Corruption c) {
        check(checkpoint, Corrupt.reseal(c.apply(checkpoint)));
    }

    @Property(tries = 150)
    void damagedFirstCheckpointsWithAValidChecksum(@ForAll("corruptions") Corruption c) {
        check(noBest, Corrupt.reseal(c.apply(noBest)));
    }
}
