package io.github.cnn4j.examples.cli;

import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.onnx.OnnxExporter;
import io.github.cnn4j.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cnn4j export MODEL OUT}: converts a model (ONNX, native or paper format) to ONNX ({@code .onnx}) or cnn4j's native format ({@code .json}). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Convert a model (ONNX, paper or cnn4j format) to ONNX or to cnn4j's native format, as the name of OUT says: NAME.onnx or NAME.json.")
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model to convert.")
    Path modelFile;

    @Parameters(index = "1", paramLabel = "OUT", description = "Target file: .onnx or .json.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Sequential model = ModelLoader.trained(modelFile);
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            OnnxExporter.write(out, model);
        } else if (name.endsWith(".json")) {
            NativeModelFormat.write(out, model);
        } else {
            throw new IllegalArgumentException("OUT must end in .onnx (ONNX) or .json (cnn4j native format), got " + out);
        }
        spec.commandLine().getOut().println("Wrote " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
