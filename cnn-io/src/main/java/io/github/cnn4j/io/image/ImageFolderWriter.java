package io.github.cnn4j.io.image;

import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.tensor.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a dataset of {@code (1 | 3, H, W)} images with values in {@code [0, 1]} as PNG files in
 * class folders ({@code root/<class name>/<index>.png}, the index zero-padded in dataset order), the
 * layout {@link ImageFolder} reads. Grayscale values are stored as {@code round(255 v)}, so data
 * that came from bytes (MNIST) reads back exactly. Each file is written atomically.
 *
 * <pre>{@code ImageFolderWriter.write(MnistLoader.loadTest(dir), Path.of("mnist-png/test"));}</pre>
 */
public final class ImageFolderWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderWriter.class);

    private ImageFolderWriter() {
    }

    /**
     * @param data images with 1 or 3 channels, values in {@code [0, 1]} (clamped)
     * @param root the folder to create the class folders in
     * @return number of files written
     * @throws IOException when writing fails
     */
    public static int write(Dataset data, Path root) throws IOException {
        Shape s = data.shape();
        if (s.rank() != 3 || (s.channels() != 1 && s.channels() != 3)) {
            throw new IllegalArgumentException("PNG files hold (1 or 3, height, width) images, the dataset has " + s);
        }
        int digits = Integer.toString(Math.max(1, data.size() - 1)).length();
        for (int c = 0; c < data.classes(); c++) {
            Files.createDirectories(root.resolve(data.classNames().name(c)));
        }
        float[] x = new float[s.size()];
        for (int i = 0; i < data.size(); i++) {
            data.copyImage(i, x, 0);
            BufferedImage img = toImage(x, s);
            Path f = root.resolve(data.classNames().name(data.label(i))).resolve(String.format(Locale.ROOT, "%0" + digits + "d.png", i));
            AtomicFiles.write(f, out -> ImageIO.write(img, "png", out));
        }
        LOG.info("wrote {} PNG files in {} class folders under {}", data.size(), data.classes(), root);
        return data.size();
    }

    private static int toByte(float v) {
        return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }

    static BufferedImage toImage(float[] x, Shape s) {
        int h = s.height();
        int w = s.width();
        int plane = h * w;
        if (s.channels() == 1) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    img.getRaster().setSample(xx, y, 0, toByte(x[y * w + xx]));
                }
            }
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < plane; i++) {
            img.setRGB(i % w, i / w, (toByte(x[i]) << 16) | (toByte(x[plane + i]) << 8) | toByte(x[2 * plane + i]));
        }
        return img;
    }
}
