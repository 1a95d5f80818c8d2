package io.github.cnn4j.io.mnist;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A pair of IDX files of any shape and class count (EMNIST, KMNIST, Fashion-MNIST and others): an
 * images file of dimensions {@code (n, d1, ..., dk)} and a labels file of {@code n} integers.
 *
 * <p>Sample shape: {@code (1, d1, d2)} for {@code k = 2} (grayscale images), {@code (d1, d2, d3)} for
 * {@code k = 3} (channels first, as stored), {@code (d1)} for {@code k = 1}. Unsigned bytes are scaled to
 * {@code [0, 1]} by {@code v / 255} (as {@link MnistLoader}); other types keep their values. The class
 * count is the largest label plus one unless given.
 */
public final class IdxDataset {
    private IdxDataset() {
    }

    /**
     * @param images IDX images file (optionally .gz)
     * @param labels IDX labels file
     * @return the data set
     * @throws FormatException when a file is invalid, the counts disagree or a label is negative
     * @throws IOException     when reading fails
     */
    public static Dataset load(Path images, Path labels) throws IOException {
        return load(images, labels, null);
    }

    /**
     * @param images IDX images file (optionally .gz)
     * @param labels IDX labels file
     * @param names  class names (null: numbered, as many as the largest label plus one)
     * @return the data set
     * @throws FormatException when a file is invalid, the counts disagree or a label is out of range
     * @throws IOException     when reading fails
     */
    public static Dataset load(Path images, Path labels, ClassNames names) throws IOException {
        IdxArray img = IdxReader.read(images);
        IdxArray lab = IdxReader.read(labels);
        if (img.rank() < 2 || img.rank() > 4) {
            throw new FormatException(images, "expected images in 2 to 4 dimensions (count first), found " + img.rank());
        }
        if (lab.rank() != 1 || lab.type() == IdxType.FLOAT || lab.type() == IdxType.DOUBLE) {
            throw new FormatException(labels, "expected integer labels in 1 dimension, found " + lab.type() + " in " + lab.rank() + " dimension(s)");
        }
        int n = img.dim(0);
        if (lab.dim(0) != n) {
            throw new FormatException(labels, "holds " + lab.dim(0) + " labels, but " + images + " holds " + n + " samples");
        }
        Shape shape = switch (img.rank()) {
            case 2 -> Shape.of(img.dim(1));
            case 3 -> Shape.of(1, img.dim(1), img.dim(2));
            default -> Shape.of(img.dim(1), img.dim(2), img.dim(3));
        };
        int[] y = lab.toIntArray();
        int max = 0;
        for (int i = 0; i < n; i++) {
            if (y[i] < 0) {
                throw new FormatException(labels, "label " + i + " is " + y[i] + ", expected >= 0");
            }
            max = Math.max(max, y[i]);
        }
        ClassNames cn = names != null ? names : ClassNames.numbered(max + 1);
        if (max >= cn.size()) {
            throw new FormatException(labels, "label " + max + " is outside the " + cn.size() + " class names");
        }
        float[] x = img.toFloatArray();
        if (img.type() == IdxType.UNSIGNED_BYTE) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= 255f;
            }
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new FormatException(images, "value " + i % shape.size() + " of sample " + i / shape.size() + " is " + x[i]);
            }
        }
        return new Dataset(x, y, shape, cn);
    }
}
