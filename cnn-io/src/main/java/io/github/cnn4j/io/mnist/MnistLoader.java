package io.github.cnn4j.io.mnist;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.ReadableFiles;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads MNIST-layout data sets (MNIST, Fashion-MNIST) from IDX files into cnn-core
 * {@link Dataset}s: shape {@code (1, rows, cols)} (28 x 28 for both), 10 classes, pixels divided by 255.
 *
 * <p>A directory may use either naming, each file raw or gzip (detected by content):
 * {@code train-images-idx3-ubyte} (the original) or {@code train-images.idx3-ubyte} (Kaggle's), each
 * optionally with {@code .gz}; likewise {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
 * and {@code t10k-labels-idx1-ubyte}.
 */
public final class MnistLoader {
    private static final Logger LOG = LoggerFactory.getLogger(MnistLoader.class);
    /** Number of classes of MNIST and Fashion-MNIST. */
    public static final int CLASSES = 10;
    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private MnistLoader() {
    }

    /**
     * Loads both parts from a directory.
     *
     * @param dir directory holding the four IDX files
     * @return training and test sets
     * @throws NoSuchFileException when a file is missing (the message lists the names looked for)
     * @throws FormatException     when a file is not valid IDX or images and labels disagree
     * @throws IOException         when reading fails
     */
    public static MnistData load(Path dir) throws IOException {
        return new MnistData(loadTrain(dir), loadTest(dir));
    }

    /**
     * @param dir directory holding {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte} (any naming)
     * @return the training set
     * @throws IOException as {@link #load(Path)}
     */
    public static Dataset loadTrain(Path dir) throws IOException {
        return loadTrain(dir, Integer.MAX_VALUE);
    }

    /**
     * @param dir   directory holding the training files (any naming)
     * @param limit the most samples to read: only the first {@code limit} images and labels are read
     * @return the first {@code limit} samples of the training set
     * @throws IOException as {@link #load(Path)}
     */
    public static Dataset loadTrain(Path dir, int limit) throws IOException {
        return load(find(dir, "train-images", "idx3-ubyte"), find(dir, "train-labels", "idx1-ubyte"), limit);
    }

    /**
     * @param dir   directory holding the test files (any naming)
     * @param limit the most samples to read: only the first {@code limit} images and labels are read
     * @return the first {@code limit} samples of the test set
     * @throws IOException as {@link #load(Path)}
     */
    public static Dataset loadTest(Path dir, int limit) throws IOException {
        return load(find(dir, "t10k-images", "idx3-ubyte"), find(dir, "t10k-labels", "idx1-ubyte"), limit);
    }

    /**
     * @param dir directory holding {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte} (any naming)
     * @return the test set
     * @throws IOException as {@link #load(Path)}
     */
    public static Dataset loadTest(Path dir) throws IOException {
        return loadTest(dir, Integer.MAX_VALUE);
    }

    /**
     * Loads an images file and its labels file.
     *
     * @param images IDX of unsigned bytes, dimensions {@code (count, rows, cols)}
     * @param labels IDX of unsigned bytes, dimensions {@code (count)}, values 0..9
     * @return the data set, pixels scaled to [0, 1]
     * @throws FormatException when either file is invalid or they disagree
     * @throws IOException     when reading fails
     */
    public static Dataset load(Path images, Path labels) throws IOException {
        return load(images, labels, Integer.MAX_VALUE);
    }

    /**
     * Loads the first samples of an images file and its labels file; nothing beyond them is read.
     *
     * @param images IDX of unsigned bytes, dimensions {@code (count, rows, cols)}
     * @param labels IDX of unsigned bytes, dimensions {@code (count)}, values 0..9
     * @param limit  the most samples to read, at least 1
     * @return the data set, pixels scaled to [0, 1]
     * @throws FormatException when either file is invalid, they disagree, or the data does not fit the memory budget
     * @throws IOException     when reading fails
     */
    public static Dataset load(Path images, Path labels, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        long t0 = System.nanoTime();
        IdxArray img = IdxReader.read(images, limit);
        IdxArray lab = IdxReader.read(labels, limit);
        Dataset d = toDataset(images, img, labels, lab);
        LOG.debug("loaded {} images of {} from {} in {} ms", d.size(), d.shape(), images, (System.nanoTime() - t0) / 1_000_000);
        return d;
    }

    /**
     * Finds {@code <stem>-<suffix>} or {@code <stem>.<suffix>}, each raw or with {@code .gz}.
     *
     * @param dir    the directory
     * @param stem   e.g. {@code train-images}
     * @param suffix e.g. {@code idx3-ubyte}
     * @return the first existing candidate (uncompressed names first)
     * @throws NoSuchFileException naming every candidate when none exists
     */
    public static Path find(Path dir, String stem, String suffix) throws NoSuchFileException {
        List<String> tried = new ArrayList<>();
        for (String name : new String[] {stem + "-" + suffix, stem + "." + suffix}) {
            for (String n : new String[] {name, name + ".gz"}) {
                Path p = dir.resolve(n);
                if (Files.isRegularFile(p)) {
                    return p;
                }
                tried.add(n);
            }
        }
        throw new NoSuchFileException(dir.toString(), null, "none of " + String.join(", ", tried) + " found in this directory");
    }

    static Dataset toDataset(Path imagesFile, IdxArray img, Path labelsFile, IdxArray lab) throws FormatException {
        if (img.type() != IdxType.UNSIGNED_BYTE || img.rank() != 3) {
            throw new FormatException(imagesFile, "expected images: unsigned bytes (IDX type 0x08) in 3 dimensions (count, rows, columns), found "
                    + img.type() + " in " + img.rank() + " dimension(s)");
        }
        if (lab.type() != IdxType.UNSIGNED_BYTE || lab.rank() != 1) {
            throw new FormatException(labelsFile, "expected labels: unsigned bytes (IDX type 0x08) in 1 dimension, found "
                    + lab.type() + " in " + lab.rank() + " dimension(s)");
        }
        int n = img.dim(0);
        int rows = img.dim(1);
        int cols = img.dim(2);
        if (rows < 1 || cols < 1) {
            throw new FormatException(imagesFile, "expected images of at least 1 x 1 pixels, found " + rows + " x " + cols);
        }
        if (lab.dim(0) != n) {
            throw new FormatException(labelsFile, "holds " + lab.dim(0) + " labels, but its images file " + imagesFile + " holds "
                    + n + " images");
        }
        byte[] lb = lab.payload();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int y = lb[i] & 0xFF;
            if (y >= CLASSES) {
                throw new FormatException(labelsFile, "label " + i + " is " + y + ", expected 0.." + (CLASSES - 1));
            }
            labels[i] = y;
        }
        byte[] px = img.payload();
        ReadableFiles.requireMemory(imagesFile, 4L * px.length, String.format(Locale.ROOT, "%,d images of %d x %d pixels as floats",
                n, rows, cols));
        float[] pixels = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            pixels[i] = SCALE[px[i] & 0xFF];
        }
        return new Dataset(pixels, labels, Shape.of(1, rows, cols), CLASSES);
    }
}
