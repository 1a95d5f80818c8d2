package io.github.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.json.ModelFiles;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.mnist.KaggleCsv;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Sigmoid;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.layer.Tanh;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random truncations, flipped, overwritten, inserted and deleted bytes of real files: a slice of
 * the real MNIST (IDX, raw and gzip), a model in the paper's format, a native model file and a Kaggle CSV.
 * Readers must either return a valid result or throw the library's {@link FormatException} — never
 * any other exception, and never a half-loaded model.
 */
class CorruptionProperties {
    private static final int SLICE = 20;
    private static Path dir;
    private static byte[] images;
    private static byte[] imagesGz;
    private static byte[] labels;
    private static byte[] paperModel;
    private static byte[] nativeModel;
    private static byte[] csv;

    @BeforeContainer
    static void files() throws IOException {
        dir = Files.createTempDirectory("cnn4j-corruption-");
        Path mnist = TestData.mnistDir();
        byte[] allImages = Files.readAllBytes(mnist.resolve("t10k-images-idx3-ubyte"));
        images = Arrays.copyOf(allImages, 16 + SLICE * 784);
        ByteBuffer.wrap(images).putInt(4, SLICE);
        imagesGz = TestFiles.gzip(images);
        byte[] allLabels = Files.readAllBytes(mnist.resolve("t10k-labels-idx1-ubyte"));
        labels = Arrays.copyOf(allLabels, 8 + SLICE);
        ByteBuffer.wrap(labels).putInt(4, SLICE);
        paperModel = Files.readAllBytes(PaperFixtures.writeModel(dir.resolve("paper.json"), 3));
        Sequential m = Sequential.of(new Conv(3, 2, 2).padding(1), new Tanh(), new MaxPool(3), new Flatten(), new Dense(6),
                new Sigmoid(), new Dense(10), new ReLU(), new Dense(10), new Softmax()).input(1, 28, 28).seed(3).build();
        Path nat = dir.resolve("native.json");
        NativeModelFormat.write(nat, m);
        nativeModel = Files.readAllBytes(nat);
        Path c = dir.resolve("base.csv");
        KaggleCsv.writeLabeled(c, MnistLoader.load(write("i0", images), write("l0", labels)).subset(0, 3));
        csv = Files.readAllBytes(c);
    }

    @AfterContainer
    static void cleanup() throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Provide
    Arbitrary<Corruption> corruptions() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1), Arbitraries.of(true, false),
                Arbitraries.longs(), Arbitraries.integers().between(1, 8)).as(Corruption::new);
    }

    private interface Reader {
        void read(Path file) throws IOException;
    }

    /** Runs a reader on corrupted bytes; passes on a valid result or a FormatException, fails on anything else. */
    private static void check(byte[] bytes, Reader reader) {
        Path f;
        try {
            f = Files.createTempFile(dir, "c", ".bin");
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            reader.read(f);
            Statistics.collect("valid result");
        } catch (FormatException e) {
            assertTrue(e.getMessage().startsWith(f.toString()) || e.file() == null, e.getMessage());
            Statistics.collect("FormatException");
        } catch (Throwable t) {
            throw new AssertionError("a reader threw " + t + " instead of a FormatException", t);
        } finally {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // ignored: the directory is removed after the container
            }
        }
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void checkModel(Sequential m) {
        for (Parameter p : m.parameters()) {
            for (float v : p.value()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Property(tries = 400)
    void idxImages(@ForAll("corruptions") Corruption c) throws IOException {
        Path lab = write("labels", labels);
        check(c.apply(images), f -> {
            Dataset d = MnistLoader.load(f, lab);
            assertEquals(SLICE, d.size());
        });
    }

    @Property(tries = 300)
    void idxImagesGzip(@ForAll("corruptions") Corruption c) throws IOException {
        Path lab = write("labels", labels);
        check(c.apply(imagesGz), f -> MnistLoader.load(f, lab));
    }

    @Property(tries = 300)
    void idxLabels(@ForAll("corruptions") Corruption c) throws IOException {
        Path img = write("images", images);
        check(c.apply(labels), f -> {
            Dataset d = MnistLoader.load(img, f);
            for (int i = 0; i < d.size(); i++) {
                assertTrue(d.label(i) >= 0 && d.label(i) <= 9);
            }
        });
    }

    @Property(tries = 300)
    void paperModel(@ForAll("corruptions") Corruption c) {
        check(c.apply(paperModel), f -> checkModel(PaperFormat.readModel(f).model()));
    }

    @Property(tries = 300)
    void nativeModel(@ForAll("corruptions") Corruption c) {
        check(c.apply(nativeModel), f -> {
            checkModel(NativeModelFormat.read(f));
            checkModel(ModelFiles.load(f));
        });
    }

    @Property(tries = 200)
    void kaggleCsv(@ForAll("corruptions") Corruption c) {
        check(c.apply(csv), f -> KaggleCsv.readLabeled(f));
    }
}
