package io.github.cnn4j.examples.plot;

import io.github.cnn4j.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes images as PNG files atomically (temporary name, then moved into place). */
public final class Images {
    private Images() {
    }

    /**
     * @param image the picture
     * @param file  the target .png file (replaced if present)
     * @throws IOException when the file cannot be written; a previous file is then left untouched
     */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
