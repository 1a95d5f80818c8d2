package io.github.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.mnist.IdxArray;
import io.github.cnn4j.io.mnist.IdxReader;
import io.github.cnn4j.io.mnist.KaggleCsv;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.MemoryBudget;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.optim.Sgd;
import io.github.cnn4j.train.Trainer;
import io.github.cnn4j.train.TrainingState;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files built to exhaust memory or time: every reader rejects them quickly with a clear
 * {@link FormatException}, allocating a small fraction of what they claim (measured with the JVM's
 * per-thread allocation counter).
 */
class HostileFilesTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path dir;

    private interface Read {
        void run() throws Exception;
    }

    /** Runs a read that must fail with a FormatException containing {@code expected}, within the time and allocation budgets. */
    private static void rejected(String expected, long maxBytes, Read read) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        assertThrows(FormatException.class, read::run); // once to load classes, so that only the read itself is measured
        long before = mx.getThreadAllocatedBytes(id);
        long t0 = System.nanoTime();
        FormatException e = assertThrows(FormatException.class, read::run);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(allocated < maxBytes, "allocated " + allocated / MB + " MB for: " + e.getMessage());
        assertTrue(ms < 3000, ms + " ms for: " + e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void idxHeadersClaimingBillionsOfImages() throws IOException {
        byte[] dimTooLarge = ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt((int) 3_000_000_000L).putInt(28).putInt(28).array();
        Path a = write("a", dimTooLarge);
        rejected("dimension 0 is 3000000000", MB, () -> IdxReader.read(a));
        byte[] twoBillion = ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(2_000_000_000).putInt(28).putInt(28).array();
        Path b = write("b", twoBillion);
        rejected("header claims 2000000000 x 28 x 28 unsigned byte = 1568000000000 bytes", MB, () -> IdxReader.read(b));
        Path c = write("c.gz", TestFiles.gzip(twoBillion));
        rejected("more than a gzip file of", MB, () -> IdxReader.read(c));
        // a labels file claiming 2 billion labels beside real images
        byte[] labels = ByteBuffer.allocate(8 + 10).put(new byte[] {0, 0, 8, 1}).putInt(2_000_000_000).array();
        Path l = write("labels", labels);
        Path img = TestData.mnistDir().resolve("t10k-images-idx3-ubyte");
        rejected("truncated", 64 * MB, () -> MnistLoader.load(img, l)); // the real images (7.8 MB) are read first
    }

    @Test
    void jsonModelsWithEnormousArchitecturesOrDeepNesting() throws IOException {
        // a native model whose architecture needs 784 x 16,000,000 weights: refused before any parameter exists
        String huge = "{\"format\": \"cnn4j-model\", \"version\": 1, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"}, "
                + "{\"type\": \"dense\", \"units\": 16000000}], \"parameters\": []}";
        Path h = write("huge.json", huge.getBytes(StandardCharsets.UTF_8));
        rejected("the architecture has more than 268435456 parameters, the reader's limit", MB, () -> NativeModelFormat.read(h));
        Path h2 = write("huge2.json", huge.replace("16000000", "2000000000").getBytes(StandardCharsets.UTF_8));
        rejected("layers[1].units: expected an integer between 1 and 16777216, found 2000000000", MB, () -> NativeModelFormat.read(h2));
        // 200,000 nested arrays (Jackson would recurse)
        String deep = "{\"format\": \"cnn4j-model\", \"extra\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        Path d = write("deep.json", deep.getBytes(StandardCharsets.UTF_8));
        rejected("JSON exceeds a reader limit", 16 * MB, () -> NativeModelFormat.read(d));
        Path dp = write("deep-paper.json", ("{\"seed\": 1, \"comment\": " + "[".repeat(200_000)).getBytes(StandardCharsets.UTF_8));
        rejected("JSON exceeds a reader limit", 16 * MB, () -> PaperFormat.readConfig(dp));
        // a paper config asking for 2^31 kernels
        String kernels = "{\"seed\": 1, \"learning_rate\": 0.1, \"epochs\": 1, \"output_filename\": \"x\", \"convolutional_layers\": "
                + "[{\"kernel_count\": 2147483647, \"kernel_dim\": 3, \"padding\": 0, \"pooling_dim\": 2}], \"fully_connected_layers\": []}";
        Path k = write("kernels.json", kernels.getBytes(StandardCharsets.UTF_8));
        assertThrows(FormatException.class, () -> PaperFormat.readConfig(k));
        rejected("kernel_count", MB, () -> PaperFormat.readConfig(k));
    }

    @Test
    void aCsvWithATenMegabyteLine() throws IOException {
        byte[] line = new byte[10 * (int) MB];
        Arrays.fill(line, (byte) '7');
        Path f = write("long.csv", line);
        // the reader stops at the 64 KB line limit; what it allocates is its fixed row buffer (1024 rows, 3 MB)
        rejected("line 1 is longer than 65536 bytes", 5 * MB, () -> KaggleCsv.readLabeled(f));
        byte[] second = ("5" + ",0".repeat(784)).getBytes(StandardCharsets.US_ASCII); // one good row first
        byte[] two = new byte[second.length + 1 + line.length];
        System.arraycopy(second, 0, two, 0, second.length);
        two[second.length] = '\n';
        System.arraycopy(line, 0, two, second.length + 1, line.length);
        Path g = write("long2.csv", two);
        rejected("line 2 is longer than 65536 bytes", 5 * MB, () -> KaggleCsv.readLabeled(g));
    }

    @Test
    void checkpointsWithHostileCountsBehindAValidChecksum() throws IOException, Exception {
        Sequential m = Sequential.of(new Conv(3, 3, 2), new ReLU(), new MaxPool(2), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(1).build();
        List<TrainingState> states = new ArrayList<>();
        Trainer.builder(m).optimizer(new Sgd(0.01)).checkpoints(states::add).build().fit(TestData.mnist().train().subset(0, 50));
        Path good = dir.resolve("good.ckpt");
        CheckpointFormat.write(good, m, states.get(0), Map.of());
        byte[] b = Files.readAllBytes(good);
        // state section: header 16 + name length 2 + "state" 5 + length 8 = 31; settings: epochs 4, seed 8,
        // shuffle (2 + 4 for "FULL"), batch 4, block 4, keepBest 1, then the training set size
        int trainSize = 31 + 4 + 8 + 2 + 4 + 4 + 4 + 1;
        assertTrue(ByteBuffer.wrap(b).getInt(trainSize) == 50, "layout as documented");
        int orderCount = trainSize + 4 + 4 + 8 + (4 + 4 + 8 + 8 + 8 + 8 + 8 + 4 + 8 + 4 + 8 + 1);
        assertTrue(ByteBuffer.wrap(b).getInt(orderCount) == 50, "layout as documented");
        byte[] claim = b.clone();
        ByteBuffer.wrap(claim).putInt(trainSize, Integer.MAX_VALUE).putInt(orderCount, Integer.MAX_VALUE);
        Path f = write("claim.ckpt", reseal(claim));
        rejected("order count: claims 2147483647 entries of at least 4 bytes, only", 4 * MB, () -> CheckpointFormat.read(f));
        byte[] negative = b.clone();
        ByteBuffer.wrap(negative).putInt(orderCount, -5);
        Path g = write("negative.ckpt", reseal(negative));
        rejected("order count: expected 0..50, found -5", 4 * MB, () -> CheckpointFormat.read(g));
        byte[] sections = b.clone();
        ByteBuffer.wrap(sections).putInt(12, 1_000_000_000);
        Path s = write("sections.ckpt", reseal(sections));
        rejected("section count: expected 1..16, found 1000000000", 4 * MB, () -> CheckpointFormat.read(s));
        // a file larger than the reader's limit is refused before it is read
        Path big = dir.resolve("big.ckpt");
        try (OutputStream out = Files.newOutputStream(big)) {
            out.write(b, 0, 16);
        }
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), (1L << 31) + 10); // sparse: 2 GB claimed, a few bytes on disk
        } catch (IOException e) {
            fail("sparse files are needed for this check: " + e);
        }
        rejected("more than the limit of", MB, () -> CheckpointFormat.read(big));
    }

    /** Runs {@code body} with the memory budget set to {@code budget} (see MemoryBudget). */
    static void withBudget(String budget, Read body) throws Exception {
        String before = System.getProperty(MemoryBudget.PROPERTY);
        System.setProperty(MemoryBudget.PROPERTY, budget);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(MemoryBudget.PROPERTY);
            } else {
                System.setProperty(MemoryBudget.PROPERTY, before);
            }
        }
    }

    /** A gzip IDX images file of zeros whose header claims {@code n} images: small on disk, large in memory. */
    private Path zeroImages(String name, int n) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f), 1 << 16)) {
            out.write(ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(n).putInt(28).putInt(28).array());
            byte[] zeros = new byte[784 * 1000];
            for (int i = 0; i < n; i += 1000) {
                out.write(zeros, 0, 784 * Math.min(1000, n - i));
            }
        }
        return f;
    }

    @Test
    void smallFilesThatDecodeBeyondTheMemoryBudgetAreRefusedBeforeAllocating() throws Exception {
        // 100,000 images of zeros: 77 kB of gzip, 78 MB of bytes, 314 MB of floats
        Path images = zeroImages("bomb-images.gz", 100_000);
        assertTrue(Files.size(images) < 200_000, Files.size(images) + " bytes");
        withBudget("32m", () -> rejected("needs 74.8 MiB (100000 x 28 x 28 unsigned byte as read from the file), more than the memory "
                + "budget of 32.0 MiB (-Dcnn4j.memoryBudget=32m)", MB, () -> IdxReader.read(images)));
        // the bytes fit, the floats they decode to do not
        Path labels = write("bomb-labels", TestFiles.idx(8, new int[] {100_000}, new byte[100_000]));
        withBudget("150m", () -> rejected("needs 299 MiB (100,000 images of 28 x 28 pixels as floats), more than the memory budget of 150 MiB",
                100 * MB, () -> MnistLoader.load(images, labels)));
        // a native model of 7 kB whose convolution (padding 686) makes 1398 x 1398 activations
        String pad = "{\"format\": \"cnn4j-model\", \"version\": 1, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"conv\", "
                + "\"kernel\": [3, 3], \"filters\": 8, \"padding\": 686}, {\"type\": \"maxpool\", \"size\": 1398}, {\"type\": \"flatten\"}, "
                + "{\"type\": \"dense\", \"units\": 10}, {\"type\": \"softmax\"}]}";
        Path arch = write("pad686.json", pad.getBytes(StandardCharsets.UTF_8));
        withBudget("256m", () -> rejected("activations per sample), more than the memory budget of 256 MiB", MB,
                () -> NativeModelFormat.readArchitecture(arch)));
        // an architecture of 267 bytes with a 300,000-unit dense layer: 235 million parameters, under the 2^28 reader limit
        String dense = "{\"format\": \"cnn4j-model\", \"version\": 1, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"}, "
                + "{\"type\": \"dense\", \"units\": 300000}, {\"type\": \"dense\", \"units\": 10}, {\"type\": \"softmax\"}]}";
        Path d = write("dense.json", dense.getBytes(StandardCharsets.UTF_8));
        withBudget("256m", () -> rejected("needs 1.79 GiB (238,500,010 parameters with their gradients", MB,
                () -> NativeModelFormat.readArchitecture(d)));
        // a paper config of 200 bytes with padding 999: 61 million parameters, whose model files (2.5 GB of JSON) the
        // readers would refuse: refused whatever the memory
        String cfg = "{\"seed\": 1, \"learning_rate\": 0.1, \"epochs\": 1, \"output_filename\": \"big\", \"convolutional_layers\": "
                + "[{\"kernel_count\": 6, \"kernel_dim\": 5, \"padding\": 999, \"pooling_dim\": 2}]}";
        Path c = write("pad999.json", cfg.getBytes(StandardCharsets.UTF_8));
        rejected("the architecture has 61327426 parameters: the model files a run writes could exceed the readers' limit of "
                + "1073741824 bytes (at most 22369621 parameters)", MB, () -> PaperFormat.readConfig(c));
        // padding 999 and pooling 2000: few parameters, 49 million activations per sample
        Path p = write("pool2000.json", cfg.replace("\"pooling_dim\": 2", "\"pooling_dim\": 2000").getBytes(StandardCharsets.UTF_8));
        withBudget("256m", () -> rejected("activations per sample), more than the memory budget of 256 MiB", MB,
                () -> PaperFormat.readConfig(p)));
    }

    @Test
    void aLimitReadsOnlyTheFirstItems() throws Exception {
        Path images = zeroImages("many.gz", 100_000);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        IdxReader.read(images, 10);
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        IdxArray a = IdxReader.read(images, 10);
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(10, a.dim(0));
        assertEquals(7840, a.payload().length);
        assertTrue(allocated < 2 * MB, allocated + " bytes allocated to read 10 of 100,000 images");
        Path raw = write("raw", TestFiles.idx(8, new int[] {5, 2, 2}, new byte[20]));
        assertEquals(3, IdxReader.read(raw, 3).dim(0));
        assertEquals(5, IdxReader.read(raw, 50).dim(0));
        Path labels = write("labels", TestFiles.idx(8, new int[] {100_000}, new byte[100_000]));
        assertEquals(25, MnistLoader.load(images, labels, 25).size());
    }

    @Test
    void gzipWithTrailingGarbageIsRejected() throws IOException {
        byte[] idx = TestFiles.idx(8, new int[] {3, 2, 2}, new byte[12]);
        byte[] gz = TestFiles.gzip(idx);
        Path ok = write("ok.gz", gz);
        assertEquals(3, IdxReader.read(ok).dim(0));
        for (byte[] tail : new byte[][] {"garbage".getBytes(StandardCharsets.US_ASCII), new byte[] {0}, new byte[4096]}) {
            byte[] bad = Arrays.copyOf(gz, gz.length + tail.length);
            System.arraycopy(tail, 0, bad, gz.length, tail.length);
            Path f = write("bad.gz", bad);
            FormatException e = assertThrows(FormatException.class, () -> IdxReader.read(f));
            assertTrue(e.getMessage().startsWith(f + ": corrupt gzip data"), e.getMessage());
        }
        // two gzip members one after the other are one stream (as gzip itself reads them)
        byte[] half1 = TestFiles.gzip(Arrays.copyOf(idx, 10));
        byte[] half2 = TestFiles.gzip(Arrays.copyOfRange(idx, 10, idx.length));
        byte[] two = Arrays.copyOf(half1, half1.length + half2.length);
        System.arraycopy(half2, 0, two, half1.length, half2.length);
        assertEquals(3, IdxReader.read(write("two.gz", two)).dim(0));
    }

    private static byte[] reseal(byte[] b) throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(b, b.length - 32));
        System.arraycopy(h, 0, b, b.length - 32, 32);
        return b;
    }
}
