package io.github.cnn4j.examples.cli;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.LazySource;
import io.github.cnn4j.data.PrefetchingSource;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.csv.PredictionCsv;
import io.github.cnn4j.io.image.ImageDecoder;
import io.github.cnn4j.io.image.ImageLimits;
import io.github.cnn4j.io.image.ResizePolicy;
import io.github.cnn4j.io.json.InputSpec;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code cnn4j predict MODEL --data DIR|FILE...}: class and per-class probabilities of image files, as CSV. */
final class FolderPrediction {
    private static final Logger LOG = LoggerFactory.getLogger(FolderPrediction.class);

    private FolderPrediction() {
    }

    static int run(Path modelFile, List<Path> inputs, Path out, ImageOptions opts, int threads, PrintWriter pw) throws IOException {
        Sequential model = ModelLoader.trained(modelFile);
        InputSpec spec = FolderData.spec(modelFile, model, opts.resize);
        ResizePolicy policy = ResizePolicy.valueOf(spec.resize());
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            files.addAll(FolderData.imageFiles(p).toList());
        }
        List<Path> good = new ArrayList<>();
        int skipped = 0;
        for (Path f : files) {
            try {
                ImageDecoder.dimensions(f, ImageLimits.DEFAULT);
                good.add(f);
            } catch (FormatException e) {
                if (!opts.skipBad) {
                    throw e;
                }
                LOG.warn("skipped bad image {}", e.getMessage());
                skipped++;
            }
        }
        if (good.isEmpty()) {
            throw new IOException("no PNG, JPEG, BMP or GIF image found in " + inputs + (skipped > 0 ? " (" + skipped + " bad skipped)" : ""));
        }
        Shape shape = Shape.of(spec.channels(), spec.height(), spec.width());
        LazySource src = new LazySource(shape, new int[good.size()], spec.classNames(), (i, dst, off) -> {
            try {
                float[] px = ImageDecoder.decode(good.get(i), spec.channels(), spec.height(), spec.width(), policy, ImageLimits.DEFAULT);
                System.arraycopy(px, 0, dst, off, px.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }, good.hashCode());
        float[] probs;
        try (PrefetchingSource pre = new PrefetchingSource(src, Math.max(1, threads), 512)) {
            Dataset d = FolderData.normalized(Dataset.of(pre), spec);
            probs = model.predict(d, Math.max(1, threads));
        }
        List<String> names = good.stream().map(Path::toString).toList();
        PredictionCsv.write(out, names, spec.classNames(), probs);
        pw.printf("Wrote %d predictions to %s%s%n", good.size(), out, skipped > 0 ? " (skipped " + skipped + " bad image(s))" : "");
        pw.flush();
        return 0;
    }
}
