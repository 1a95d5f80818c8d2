package io.github.cnn4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.layer.Conv;
import io.github.cnn4j.layer.Dense;
import io.github.cnn4j.layer.Flatten;
import io.github.cnn4j.layer.MaxPool;
import io.github.cnn4j.layer.Parameter;
import io.github.cnn4j.layer.ReLU;
import io.github.cnn4j.layer.Softmax;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile inputs of issue 17 against the real tool in a JVM with a 256 MB heap: none produces an
 * OutOfMemoryError, a stack trace, a hang, a file outside its output directory, or exit code 0.
 */
class SmallHeapTest {
    @TempDir
    Path tmp;

    record Outcome(int code, String out, String err) {
    }

    private Outcome cnn4j(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", KillAndResumeTest.Child.classpath(), Cnn4jCli.class.getName()));
        cmd.addAll(args);
        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        Process p = new ProcessBuilder(cmd).directory(tmp.resolve("work").toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hangs: " + args);
        }
        return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void noHostileInputExhaustsTheHeapPrintsATraceHangsEscapesOrSucceeds() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path data = HostileInputsCliTest.tinyData(work.resolve("data"), 20);
        // a gzip training set of 400,000 images of zeros (313 MB decoded, a few hundred kB on disk)
        Path bomb = HostileInputsCliTest.tinyData(work.resolve("bomb"), 20);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(bomb.resolve("train-images-idx3-ubyte")), 1 << 16)) {
            o.write(ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(400_000).putInt(28).putInt(28).array());
            byte[] zeros = new byte[784 * 1000];
            for (int i = 0; i < 400; i++) {
                o.write(zeros);
            }
        }
        Path pad = write(work, "pad686.json", "{\"format\": \"cnn4j-model\", \"version\": 1, \"input\": [1, 28, 28], \"layers\": ["
                + "{\"type\": \"conv\", \"kernel\": [3, 3], \"filters\": 8, \"padding\": 686}, {\"type\": \"maxpool\", \"size\": 1398}, "
                + "{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 10}, {\"type\": \"softmax\"}], \"parameters\": ["
                + param(0, "weight", new int[] {8, 1, 3, 3}) + ", " + param(0, "bias", new int[] {8}) + ", "
                + param(3, "weight", new int[] {8, 10}) + ", " + param(3, "bias", new int[] {10}) + "]}");
        Path dense = write(work, "dense.json", "{\"format\": \"cnn4j-model\", \"version\": 1, \"input\": [1, 28, 28], \"layers\": ["
                + "{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 300000}, {\"type\": \"dense\", \"units\": 10}, {\"type\": \"softmax\"}]}");
        Path pad999 = HostileInputsCliTest.config(work, "big", 999, 2);
        Path pool2000 = HostileInputsCliTest.config(work, "wide", 999, 2000);
        Path ok = HostileInputsCliTest.config(work, "ok", 0, 2);
        Path escape = HostileInputsCliTest.config(work, "../escaped", 0, 2);
        Path root = HostileInputsCliTest.config(work, "/", 0, 2);
        Sequential huge = Sequential.of(new Conv(3, 3, 2), new ReLU(), new MaxPool(2), new Flatten(), new Dense(10), new Softmax())
                .input(1, 28, 28).seed(3).build();
        for (Parameter p : huge.parameters()) {
            Arrays.fill(p.value(), 3e38f);
        }
        Path hugeModel = work.resolve("huge.json");
        NativeModelFormat.write(hugeModel, huge);
        Path fifo = work.resolve("fifo.json");
        boolean haveFifo = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;

        String d = data.toString();
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("model with padding 686", List.of("summary", pad.toString()));
        cases.put("model with padding 686, test", List.of("test", pad.toString(), "--data", d));
        cases.put("300,000-unit architecture", List.of("modern", dense.toString(), "--data", d, "--out", "out/modern"));
        cases.put("config with padding 999", List.of("train", pad999.toString(), "--data", d, "--out", "out/a", "--quiet"));
        cases.put("config with 49 M activations", List.of("train", pool2000.toString(), "--data", d, "--out", "out/b", "--quiet"));
        cases.put("gzip bomb", List.of("train", ok.toString(), "--data", bomb.toString(), "--out", "out/c", "--quiet"));
        cases.put("100,000 threads", List.of("train", ok.toString(), "--data", d, "--threads", "100000", "--out", "out/d", "--quiet"));
        cases.put("output_filename ../escaped", List.of("train", escape.toString(), "--data", d, "--out", "out/e", "--quiet"));
        cases.put("output_filename /", List.of("train", root.toString(), "--data", d, "--out", "out/f", "--quiet"));
        cases.put("weights of 3e38", List.of("test", hugeModel.toString(), "--data", d));
        cases.put("--limit -1", List.of("train", ok.toString(), "--data", d, "--limit", "-1", "--out", "out/g", "--quiet"));
        if (haveFifo) {
            cases.put("named pipe", List.of("summary", fifo.toString()));
        }
        List<String> before = HostileInputsCliTest.tree(tmp);
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            Outcome o = cnn4j(c.getValue());
            String what = c.getKey() + ": exit " + o.code() + ", " + o.err().strip();
            report.append(what).append('\n');
            assertNotEquals(0, o.code(), what);
            assertFalse(o.err().contains("OutOfMemoryError"), what);
            assertFalse(o.err().contains("\tat ") || o.err().contains("Exception in thread"), what);
            String line = o.err().lines().filter(l -> l.startsWith("cnn4j: ")).findFirst().orElse(null);
            assertTrue(line != null || o.code() == 2, "one cnn4j: line: " + what);
        }
        List<String> after = new ArrayList<>(HostileInputsCliTest.tree(tmp));
        after.removeIf(p -> p.startsWith("work/out") || p.startsWith("child."));
        List<String> expected = new ArrayList<>(before);
        expected.removeIf(p -> p.startsWith("child."));
        assertEquals(expected, after, "files appeared outside the output directories:\n" + report);
        System.out.print(report);
    }

    private static String param(int layer, String name, int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return "{\"layer\": " + layer + ", \"name\": \"" + name + "\", \"shape\": " + Arrays.toString(shape)
                + ", \"encoding\": \"base64-f32le\", \"data\": \"" + java.util.Base64.getEncoder().encodeToString(new byte[4 * n]) + "\"}";
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }
}
