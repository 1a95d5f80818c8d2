package io.github.cnn4j.examples.cli;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.Normalize;
import io.github.cnn4j.data.TransformedSource;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.csv.LabeledCsv;
import io.github.cnn4j.io.image.ImageFolder;
import io.github.cnn4j.io.image.ResizePolicy;
import io.github.cnn4j.io.json.InputSpec;
import io.github.cnn4j.io.json.ModelFileKind;
import io.github.cnn4j.io.json.ModelFiles;
import io.github.cnn4j.io.json.NativeModelFormat;
import io.github.cnn4j.io.mnist.MnistFetcher;
import io.github.cnn4j.io.mnist.MnistLoader;
import io.github.cnn4j.model.Sequential;
import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Opens {@code --data PATH} of any kind for the native-format commands: a folder of MNIST IDX
 * files, a folder of class folders of images (cached or decoded on the fly), or a labelled CSV.
 */
final class FolderData {
    private FolderData() {
    }

    /** What the data is. */
    enum Kind { IDX, IMAGES, CSV }

    /**
     * @param data the path given with --data
     * @param test whether the test part of an IDX folder is wanted
     * @return its kind
     * @throws IOException when it is none of them
     */
    static Kind kind(Path data, boolean test) throws IOException {
        if (Files.isRegularFile(data)) {
            return Kind.CSV;
        }
        if (!Files.isDirectory(data)) {
            throw new NoSuchFileException(data.toString(), null, "--data: no such file or folder");
        }
        try {
            MnistLoader.find(data, test ? "t10k-images" : "train-images", "idx3-ubyte");
            return Kind.IDX;
        } catch (NoSuchFileException e) {
            return Kind.IMAGES;
        }
    }

    /**
     * Opens labelled data brought to {@code spec}'s input.
     *
     * @param data     --data
     * @param test     test part of an IDX folder (else training part)
     * @param spec     channels, size, resize policy and normalisation (class names are not checked here)
     * @param opts     cache and bad-file options
     * @param labelCol label column of a CSV
     * @param threads  decoding threads
     * @return the data, normalised when the spec says so
     * @throws IOException when it cannot be read
     */
    static Dataset open(Path data, boolean test, InputSpec spec, ImageOptions opts, int labelCol, int threads) throws IOException {
        Shape shape = Shape.of(spec.channels(), spec.height(), spec.width());
        Dataset d = switch (kind(data, test)) {
            case IDX -> test ? MnistLoader.loadTest(data) : MnistLoader.loadTrain(data);
            case CSV -> LabeledCsv.builder(data).labelColumn(labelCol).shape(shape).scale(csvScale(data)).read();
            case IMAGES -> images(data, spec, opts, threads);
        };
        if (!d.shape().equals(shape)) {
            throw new FormatException(data, "samples of shape " + d.shape() + ", the model takes " + shape);
        }
        return normalized(d, spec);
    }

    private static float csvScale(Path data) {
        return 1f / 255;
    }

    private static Dataset images(Path dir, InputSpec spec, ImageOptions opts, int threads) throws IOException {
        ImageFolder f = ImageFolder.builder(dir).size(spec.height(), spec.width()).channels(spec.channels())
                .resize(ResizePolicy.valueOf(spec.resize())).skipBad(opts.skipBad).threads(Math.max(1, threads)).build();
        if (opts.noCache) {
            return f.lazy(Math.max(1, threads));
        }
        Path cache = opts.cache != null ? opts.cache : defaultCache(dir, spec);
        return f.cached(cache);
    }

    /** {@code $CNN4J_DATA/images/<folder>-<hash>-<C>x<H>x<W>.cache} (or under {@code ~/.cache/cnn4j}). */
    static Path defaultCache(Path dir, InputSpec spec) {
        Path base = MnistFetcher.defaultCacheDir("images");
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "root" : abs.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        long h = Seeds.mix(abs.toString().hashCode(), spec.resize().hashCode());
        return base.resolve(String.format(Locale.ROOT, "%s-%08x-%dx%dx%d.cache", name, (int) h, spec.channels(), spec.height(), spec.width()));
    }

    static Dataset normalized(Dataset d, InputSpec spec) {
        if (!spec.normalized()) {
            return d;
        }
        return Dataset.of(new TransformedSource(d, new Normalize(spec.mean(), spec.std()), 0));
    }

    /**
     * Per-channel mean and standard deviation over (up to 20,000 evenly spaced) samples.
     *
     * @param d samples of shape {@code (C, H, W)}
     * @return {@code {mean, std}}, std at least 1e-6
     */
    static float[][] channelStats(Dataset d) {
        Shape s = d.shape();
        int c = s.channels();
        int plane = s.height() * s.width();
        double[] sum = new double[c];
        double[] sq = new double[c];
        int step = Math.max(1, d.size() / 20_000);
        long n = 0;
        float[] x = new float[s.size()];
        for (int i = 0; i < d.size(); i += step) {
            d.copyImage(i, x, 0);
            for (int ch = 0; ch < c; ch++) {
                for (int k = ch * plane; k < (ch + 1) * plane; k++) {
                    sum[ch] += x[k];
                    sq[ch] += (double) x[k] * x[k];
                }
            }
            n += plane;
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            mean[ch] = (float) m;
            std[ch] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, sq[ch] / n - m * m)));
        }
        return new float[][] {mean, std};
    }

    /**
     * The input spec of a trained model file, or one derived from its input shape when the file has none.
     *
     * @param modelFile a model file
     * @param model     the model read from it
     * @param resize    the policy to use when the file names none
     * @return the spec (class names numbered when unknown)
     * @throws IOException when the file's metadata is malformed
     */
    static InputSpec spec(Path modelFile, Sequential model, ResizePolicy resize) throws IOException {
        InputSpec spec = null;
        if (!ModelLoader.isOnnx(modelFile) && ModelFiles.detect(modelFile) == ModelFileKind.CNN4J_MODEL) {
            spec = InputSpec.fromMetadata(NativeModelFormat.readWithMetadata(modelFile).metadata(), modelFile);
        }
        if (spec != null) {
            return spec;
        }
        Shape in = model.inputShape();
        if (in.rank() != 3) {
            throw new FormatException(modelFile, "the model takes " + in + ", not (channels, height, width) images");
        }
        return new InputSpec(ClassNames.numbered(model.outputShape().size()), in.channels(), in.height(), in.width(), resize.name(), null, null);
    }

    /**
     * The test set of {@code test --data PATH} when it is an image folder or CSV, or when the model
     * file carries an input spec; null when the MNIST loading of {@link DataOptions} applies.
     */
    static Dataset testSet(Path modelFile, Sequential model, Path data, ImageOptions opts, int threads) throws IOException {
        if (data == null) {
            return null;
        }
        InputSpec spec = spec(modelFile, model, opts.resize);
        if (kind(data, true) == Kind.IDX && !spec.normalized()) {
            return null;
        }
        Dataset d = open(data, true, spec, opts, 0, threads);
        if (!d.classNames().equals(spec.classNames())) {
            if (d.classes() != spec.classNames().size() || !d.classNames().isNumbered()) {
                throw new FormatException(data, "classes " + d.classNames() + ", but " + modelFile + " was trained on " + spec.classNames());
            }
            d = d.withClassNames(spec.classNames());
        }
        return d;
    }

    /** @return image files under a folder (recursively, sorted) or the file itself */
    static Stream<Path> imageFiles(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return Stream.of(p);
        }
        if (!Files.isDirectory(p)) {
            throw new NoSuchFileException(p.toString(), null, "no such file or folder");
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")
                        || n.endsWith(".gif"));
            }).sorted().toList().stream();
        }
    }
}
