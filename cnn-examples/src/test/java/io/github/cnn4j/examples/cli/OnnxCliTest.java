package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.io.mnist.MnistVariant;
import io.github.cnn4j.layer.BatchNorm;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Block;
import io.github.cnn4j.model.Residual;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.onnx.OnnxExporter;
import io.github.cnn4j.optim.Adam;
import io.github.cnn4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that takes a model accepts an {@code .onnx} file, through the real entry point:
 * {@code export} both ways, {@code summary}, {@code test}, {@code predict} and {@code bench --model}
 * give what the same model in cnn4j's native format gives. ({@code draw} loads through the same
 * helper but needs a display.)
 */
class OnnxCliTest {
    private static Path mnistDir;
    private static Dataset mnistTest;

    @BeforeAll
    static void fetchMnist() throws IOException {
        mnistDir = MnistFetcher.builder(MnistVariant.MNIST).build().fetch();
        mnistTest = MnistLoader.load(mnistDir).test();
    }

    /** A small residual network trained for a moment, so that test accuracy means something. */
    private static Sequential trainedResidual() throws IOException {
        Sequential m = Sequential.of(new Conv(3, 3, 8).stride(2), new BatchNorm(), new ReLU(),
                        new Residual(new Block(new Conv(3, 3, 8).padding(1), new BatchNorm(), new ReLU())),
                        new MaxPool(2), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(4).build();
        Trainer.builder(m).optimizer(new Adam(0.01)).epochs(1).batchSize(32).threads(2).build()
                .fit(MnistLoader.load(mnistDir).train().subset(0, 2000));
        return m;
    }

    @Test
    void commandsTakeOnnxModels(@TempDir Path dir) throws IOException {
        Sequential model = trainedResidual();
        Path nativeFile = dir.resolve("res.json");
        NativeModelFormat.write(nativeFile, model);
        Path onnx = dir.resolve("res.onnx");
        assertEquals(0, CliTest.run("export", nativeFile.toString(), onnx.toString()).code());
        assertArrayEquals(OnnxExporter.toBytes(model), Files.readAllBytes(onnx));

        // export IN.onnx OUT.json: the native file predicts exactly as the original.
        Path back = dir.resolve("back.json");
        CliTest.Result e = CliTest.run("export", onnx.toString(), back.toString());
        assertEquals(0, e.code(), e.err());
        Sequential reread = NativeModelFormat.read(back);
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(model.predict(mnistTest.image(i)), reread.predict(mnistTest.image(i)), 0f, "image " + i);
        }

        CliTest.Result s = CliTest.run("summary", onnx.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("ONNX model, imported") && s.out().contains("3.0.0      Conv(3x3, 8 filters, padding 1)") && s.out().contains(
                String.format(java.util.Locale.ROOT, "%,d", model.parameterCount())), s.out());

        String fromNative = accuracy(CliTest.run("test", nativeFile.toString(), "--data", mnistDir.toString(), "--limit", "2000",
                "--out", dir.resolve("t1").toString()));
        String fromOnnx = accuracy(CliTest.run("test", onnx.toString(), "--data", mnistDir.toString(), "--limit", "2000",
                "--out", dir.resolve("t2").toString()));
        assertEquals(fromNative, fromOnnx);
        assertTrue(Double.parseDouble(fromOnnx) > 70, "a briefly trained residual network: " + fromOnnx + "%");

        Path csv = dir.resolve("digits.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            float[] x = mnistTest.image(i);
            for (int p = 0; p < x.length; p++) {
                sb.append(p == 0 ? "" : ",").append(Math.round(x[p] * 255));
            }
            sb.append('\n');
        }
        Files.writeString(csv, sb);
        Path p1 = dir.resolve("p1.csv");
        Path p2 = dir.resolve("p2.csv");
        assertEquals(0, CliTest.run("predict", nativeFile.toString(), "--data", csv.toString(), "--out", p1.toString()).code());
        CliTest.Result p = CliTest.run("predict", onnx.toString(), "--data", csv.toString(), "--out", p2.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(Files.readString(p1), Files.readString(p2));
        assertEquals(31, Files.readAllLines(p2).size(), "a header and 30 predictions");

        CliTest.Result b = CliTest.run("bench", "--model", onnx.toString(), "--only", "inf1", "--runs", "1", "--seconds", "0.02",
                "--warmup", "0", "--limit", "300", "--data", mnistDir.toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().lines().anyMatch(l -> l.startsWith("| res.onnx | ")), b.out());
    }

    @Test
    void aBrokenOnnxFileIsOneLineNamingIt(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1});
        for (String command : new String[] {"summary", "export"}) {
            CliTest.Result r = command.equals("export") ? CliTest.run("export", bad.toString(), dir.resolve("x.json").toString())
                    : CliTest.run(command, bad.toString());
            CliErrorsTest.assertOneLine(r, 1);
            assertTrue(r.err().contains("bad.onnx") && r.err().contains("not an ONNX model"), r.err());
        }
        CliTest.Result t = CliTest.run("test", bad.toString(), "--data", mnistDir.toString(), "--limit", "10");
        CliErrorsTest.assertOneLine(t, 1);
        assertTrue(t.err().contains("not an ONNX model"), t.err());
    }

    private static String accuracy(CliTest.Result r) {
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("Accuracy: ([0-9.]+)%").matcher(r.out());
        assertTrue(m.find(), r.out());
        return m.group(1);
    }
}
