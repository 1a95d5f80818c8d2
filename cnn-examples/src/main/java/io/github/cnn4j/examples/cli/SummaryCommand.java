package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.checkpoint.CheckpointFormat;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cnn4j summary MODEL}: layers, output shapes and parameter counts of any model, config or checkpoint. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Print a model's layers, output shapes and parameter counts.",
                "MODEL is any file the tool writes or ships: a trained model (paper or cnn4j format), a paper config "
                        + "(configs/model_A.json ...), an architecture without weights (configs/modern.json), or a "
                        + "checkpoint (NAME.ckpt). Bundled configs can be named from any folder, e.g. modern.json."})
public final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model (.onnx or JSON), config, architecture or checkpoint file.")
    Path modelFile;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path file = BundledConfigs.resolve(modelFile, out);
        String what;
        Sequential model;
        if (isCheckpoint(file)) {
            what = "checkpoint";
            model = CheckpointFormat.read(file).model();
        } else {
            ModelLoader.Loaded loaded = ModelLoader.any(file);
            what = loaded.what();
            model = loaded.model();
        }
        out.println(modelFile + ": " + what);
        out.print(model.summary());
        out.flush();
        return 0;
    }

    /** @return whether the file starts with the checkpoint format's magic bytes */
    static boolean isCheckpoint(Path file) throws IOException {
        byte[] magic = CheckpointFormat.MAGIC.getBytes(StandardCharsets.US_ASCII);
        if (!Files.isRegularFile(file) || Files.size(file) < magic.length) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(magic.length), magic);
        }
    }
}
