package io.github.cnn4j.io.image;

import io.github.cnn4j.data.CenterCrop;
import io.github.cnn4j.data.ConvertChannels;
import io.github.cnn4j.data.Resize;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.io.ReadableFiles;
import io.github.cnn4j.tensor.Shape;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG, BMP and GIF files through the JDK's ImageIO into {@code (C, H, W)} floats in
 * {@code [0, 1]}, refusing hostile files before decoding them.
 *
 * <p>Order of checks, each failing with a {@link FormatException} that names the file: the file
 * size against {@link ImageLimits#maxBytes()}; an ImageIO reader for the content (not the name);
 * the width and height from the header (no pixels decoded yet) against the limits; then decoding,
 * where an exception or a warning of the reader (a truncated JPEG decodes with a warning) is an error.
 *
 * <p>Grayscale images give their samples exactly ({@code v / (2^bits - 1)}, so an 8-bit PNG gives
 * {@code v / 255} as the MNIST loader does); palette, RGB and ARGB images give R, G, B (alpha is
 * ignored). One channel from colour is the luma {@code 0.299 R + 0.587 G + 0.114 B}; three from
 * grayscale repeat it.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    /**
     * Reads only the header.
     *
     * @param file   the image
     * @param limits size limits
     * @return {@code {width, height}}
     * @throws FormatException when the file is not a readable image or over the limits
     * @throws IOException     when reading fails
     */
    public static int[] dimensions(Path file, ImageLimits limits) throws IOException {
        checkSize(file, limits);
        try (ImageInputStream in = open(file, () -> ImageIO.createImageInputStream(file.toFile()))) {
            ImageReader r = reader(file, in);
            try {
                return checkedDimensions(file, r, limits);
            } finally {
                r.dispose();
            }
        } catch (FormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new FormatException(file, "cannot read the image header: " + describe(e), e);
        }
    }

    /**
     * Decodes an image at its own size.
     *
     * @param file     the image
     * @param channels 1 or 3
     * @param limits   size limits
     * @return the pixels
     * @throws FormatException when the file is not a readable image, over the limits, truncated or corrupt
     * @throws IOException     when reading fails
     */
    public static DecodedImage decode(Path file, int channels, ImageLimits limits) throws IOException {
        checkChannels(channels);
        checkSize(file, limits);
        return read(file, () -> ImageIO.createImageInputStream(file.toFile()), channels, limits);
    }

    /**
     * Decodes an encoded image held in memory (for example a Spark {@code binaryFile} row's content),
     * with the same checks as a file; {@code name} only labels errors.
     *
     * @param content  the encoded image (not modified)
     * @param name     where the bytes came from, named in errors
     * @param channels 1 or 3
     * @param limits   size limits
     * @return the pixels
     * @throws FormatException when the bytes are not a readable image, over the limits, truncated or corrupt
     * @throws IOException     when reading fails
     */
    public static DecodedImage decode(byte[] content, Path name, int channels, ImageLimits limits) throws IOException {
        checkChannels(channels);
        checkSize(name, content.length, limits);
        return read(name, () -> ImageIO.createImageInputStream(new ByteArrayInputStream(content)), channels, limits);
    }

    /** Opens the stream an image is read from. */
    private interface StreamOpener {
        ImageInputStream open() throws IOException;
    }

    private static DecodedImage read(Path file, StreamOpener opener, int channels, ImageLimits limits) throws IOException {
        BufferedImage img;
        try (ImageInputStream in = open(file, opener)) {
            ImageReader r = reader(file, in);
            try {
                checkedDimensions(file, r, limits);
                List<String> warnings = new ArrayList<>();
                r.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                img = r.read(0, r.getDefaultReadParam());
                if (!warnings.isEmpty()) {
                    throw new FormatException(file, "corrupt or truncated image: " + warnings.get(0));
                }
            } finally {
                r.dispose();
            }
        } catch (FormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new FormatException(file, "corrupt or truncated image: " + describe(e), e);
        }
        return toPixels(img, channels);
    }

    private static void checkChannels(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
    }

    /**
     * Decodes an image and brings it to {@code height x width}.
     *
     * @param file     the image
     * @param channels 1 or 3
     * @param height   wanted height
     * @param width    wanted width
     * @param policy   how other sizes are brought to it
     * @param limits   size limits
     * @return {@code channels * height * width} values in {@code [0, 1]}
     * @throws FormatException when the file is bad, or of another size under {@link ResizePolicy#EXACT}
     * @throws IOException     when reading fails
     */
    public static float[] decode(Path file, int channels, int height, int width, ResizePolicy policy, ImageLimits limits)
            throws IOException {
        return sized(file, decode(file, channels, limits), height, width, policy);
    }

    /**
     * Decodes an encoded image held in memory and brings it to {@code height x width}, as
     * {@link #decode(Path, int, int, int, ResizePolicy, ImageLimits)} does for a file.
     *
     * @param content  the encoded image (not modified)
     * @param name     where the bytes came from, named in errors
     * @param channels 1 or 3
     * @param height   wanted height
     * @param width    wanted width
     * @param policy   how other sizes are brought to it
     * @param limits   size limits
     * @return {@code channels * height * width} values in {@code [0, 1]}
     * @throws FormatException when the bytes are bad, or of another size under {@link ResizePolicy#EXACT}
     * @throws IOException     when reading fails
     */
    public static float[] decode(byte[] content, Path name, int channels, int height, int width, ResizePolicy policy,
            ImageLimits limits) throws IOException {
        return sized(name, decode(content, name, channels, limits), height, width, policy);
    }

    private static float[] sized(Path file, DecodedImage d, int height, int width, ResizePolicy policy) throws FormatException {
        if (d.height() == height && d.width() == width) {
            return d.pixels();
        }
        if (policy == ResizePolicy.EXACT) {
            throw new FormatException(file, "expected an image of " + width + " x " + height + " pixels, found " + d.width() + " x " + d.height()
                    + " (choose another resize policy to scale it)");
        }
        return fit(d, height, width, policy);
    }

    /**
     * Brings decoded pixels to a size.
     *
     * @param d      the image
     * @param height wanted height
     * @param width  wanted width
     * @param policy how (not {@link ResizePolicy#EXACT})
     * @return {@code d.channels() * height * width} values
     */
    static float[] fit(DecodedImage d, int height, int width, ResizePolicy policy) {
        Shape in = Shape.of(d.channels(), d.height(), d.width());
        float[] out = new float[d.channels() * height * width];
        switch (policy) {
            case STRETCH, EXACT -> new Resize(height, width).apply(d.pixels(), 0, in, out, 0, 0);
            case CENTER_CROP -> {
                double s = Math.max((double) height / d.height(), (double) width / d.width());
                int h = Math.max(height, (int) Math.round(d.height() * s));
                int w = Math.max(width, (int) Math.round(d.width() * s));
                float[] scaled = new float[d.channels() * h * w];
                new Resize(h, w).apply(d.pixels(), 0, in, scaled, 0, 0);
                new CenterCrop(height, width).apply(scaled, 0, Shape.of(d.channels(), h, w), out, 0, 0);
            }
            case PAD -> {
                double s = Math.min((double) height / d.height(), (double) width / d.width());
                int h = Math.max(1, Math.min(height, (int) Math.round(d.height() * s)));
                int w = Math.max(1, Math.min(width, (int) Math.round(d.width() * s)));
                float[] scaled = new float[d.channels() * h * w];
                new Resize(h, w).apply(d.pixels(), 0, in, scaled, 0, 0);
                int top = (height - h) / 2;
                int left = (width - w) / 2;
                for (int c = 0; c < d.channels(); c++) {
                    for (int y = 0; y < h; y++) {
                        System.arraycopy(scaled, (c * h + y) * w, out, (c * height + top + y) * width + left, w);
                    }
                }
            }
            default -> throw new IllegalStateException(policy.toString());
        }
        return out;
    }

    private static void checkSize(Path file, ImageLimits limits) throws IOException {
        // only a regular file: a named pipe would block the read forever
        checkSize(file, ReadableFiles.requireRegular(file, "a PNG, JPEG, BMP or GIF image"), limits);
    }

    private static void checkSize(Path file, long size, ImageLimits limits) throws FormatException {
        if (size == 0) {
            throw new FormatException(file, "empty file, expected a PNG, JPEG, BMP or GIF image");
        }
        if (size > limits.maxBytes()) {
            throw new FormatException(file, "file of " + size + " bytes, more than the limit of " + limits.maxBytes() + " bytes for one image");
        }
    }

    private static ImageInputStream open(Path file, StreamOpener opener) throws IOException {
        ImageInputStream in = opener.open();
        if (in == null) {
            throw new FormatException(file, "cannot open the file as an image stream");
        }
        return in;
    }

    private static ImageReader reader(Path file, ImageInputStream in) throws FormatException {
        Iterator<ImageReader> it = ImageIO.getImageReaders(in);
        if (!it.hasNext()) {
            throw new FormatException(file, "not a PNG, JPEG, BMP or GIF image (no image reader recognizes its content)");
        }
        ImageReader r = it.next();
        r.setInput(in, true, true);
        return r;
    }

    private static int[] checkedDimensions(Path file, ImageReader r, ImageLimits limits) throws IOException {
        int w = r.getWidth(0);
        int h = r.getHeight(0);
        if (w < 1 || h < 1) {
            throw new FormatException(file, "the header claims " + w + " x " + h + " pixels, expected at least 1 x 1");
        }
        if (w > limits.maxSide() || h > limits.maxSide() || (long) w * h > limits.maxPixels()) {
            throw new FormatException(file, "the header claims " + w + " x " + h + " pixels, over the limit of " + limits.maxSide()
                    + " a side and " + limits.maxPixels() + " pixels (refused before decoding)");
        }
        return new int[] {w, h};
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /**
     * @param img      a decoded image
     * @param channels 1 or 3
     * @return its pixels as {@code (channels, H, W)} in {@code [0, 1]}
     */
    static DecodedImage toPixels(BufferedImage img, int channels) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        Raster raster = img.getRaster();
        boolean gray = !(img.getColorModel() instanceof IndexColorModel) && img.getColorModel().getNumColorComponents() == 1;
        float[] out = new float[channels * plane];
        if (gray) {
            int bits = img.getColorModel().getComponentSize(0);
            float max = (float) ((1L << bits) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = raster.getSample(x, y, 0) / max;
                }
            }
            if (channels == 3) {
                float[] rgb = new float[3 * plane];
                new ConvertChannels(3).apply(out, 0, Shape.of(1, h, w), rgb, 0, 0);
                out = rgb;
            }
            return new DecodedImage(out, channels, h, w);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            float r = ((p >> 16) & 0xFF) / 255f;
            float g = ((p >> 8) & 0xFF) / 255f;
            float b = (p & 0xFF) / 255f;
            if (channels == 3) {
                out[i] = r;
                out[plane + i] = g;
                out[2 * plane + i] = b;
            } else {
                out[i] = 0.299f * r + 0.587f * g + 0.114f * b;
            }
        }
        return new DecodedImage(out, channels, h, w);
    }
}
