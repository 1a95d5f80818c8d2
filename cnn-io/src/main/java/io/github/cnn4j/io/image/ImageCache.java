package io.github.cnn4j.io.image;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.MappedSource;
import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image folder decoded once into one file and memory-mapped afterwards: training then reads
 * bytes from the page cache instead of decoding images, and the data may be larger than the heap.
 *
 * <h2>Format (little-endian)</h2>
 * <pre>
 * "CNN4JIC1"                           8 bytes
 * pixels                               n * C * H * W unsigned bytes, round(255 * v)
 * labels                               n int32
 * class names                          count int32, then per name: length int32, UTF-8 bytes
 * footer (FOOTER bytes):  n, C, H, W, skipped (int32 each), labels offset (int64),
 *                         folder signature (int64), CRC32C of every byte before the footer (int64),
 *                         "CNN4JEND"
 * </pre>
 *
 * <p>The file is written through {@link AtomicFiles} (a temporary file, renamed into place), so a
 * killed build leaves no cache. On opening, the footer's signature is compared with
 * {@link ImageFolder#signature()} (file list, sizes, modification times, settings) and the whole
 * checksum is verified; a changed folder or a corrupt cache is rebuilt. An 8-bit grayscale image at
 * the sample size is stored exactly: it reads back as {@code v / 255}, as the MNIST loader gives.
 */
public final class ImageCache {
    /** Leading magic. */
    static final byte[] MAGIC = "CNN4JIC1".getBytes(StandardCharsets.US_ASCII);
    /** Trailing magic. */
    static final byte[] END = "CNN4JEND".getBytes(StandardCharsets.US_ASCII);
    /** Footer size in bytes. */
    static final int FOOTER = 5 * 4 + 3 * 8 + 8;
    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);

    private ImageCache() {
    }

    /**
     * Opens the cache of a folder, building it first when it is missing, stale or corrupt.
     *
     * @param folder the image folder
     * @param file   the cache file
     * @return a dataset over the memory-mapped cache, with the folder's class names
     * @throws IOException when decoding (a bad image without skipBad) or writing fails
     */
    public static Dataset open(ImageFolder folder, Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String why = stale(folder, file);
            if (why == null) {
                Dataset d = map(file);
                int skipped = footer(file).skipped;
                folder.skipped(skipped);
                LOG.info("{}: using the cache {} ({} images{})", folder.root(), file, d.size(),
                        skipped > 0 ? ", " + skipped + " bad image(s) skipped when it was built" : "");
                return d;
            }
            LOG.info("{}: rebuilding the cache {}: {}", folder.root(), file, why);
        }
        build(folder, file);
        return map(file);
    }

    /** @return null when the cache is current and intact, else why not */
    private static String stale(ImageFolder folder, Path file) throws IOException {
        Footer f;
        try {
            f = footer(file);
        } catch (FormatException e) {
            return e.getMessage();
        }
        if (f.signature != folder.signature()) {
            return "the folder or the settings changed since it was built";
        }
        long crc = checksum(file, Files.size(file) - FOOTER);
        if (crc != f.crc) {
            return "its checksum does not match (corrupt file)";
        }
        return null;
    }

    /**
     * Decodes every image of the folder into a new cache, atomically.
     *
     * @param folder the folder
     * @param file   the cache file
     * @throws IOException when an image is bad (without skipBad), the disk is too small or writing fails
     */
    public static void build(ImageFolder folder, Path file) throws IOException {
        Shape shape = folder.shape();
        long need = (long) folder.files().size() * (shape.size() + 4L);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        long free = Files.getFileStore(dir).getUsableSpace();
        if (need > free) {
            throw new IOException(file + ": the cache needs about " + need + " bytes, only " + free + " are free on its disk");
        }
        AtomicFiles.write(file, out -> write(folder, out));
    }

    private static void write(ImageFolder folder, OutputStream raw) throws IOException {
        CRC32C crc = new CRC32C();
        OutputStream checked = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                crc.update(b);
                raw.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                crc.update(b, off, len);
                raw.write(b, off, len);
            }
        };
        checked.write(MAGIC);
        List<Integer> labels = new ArrayList<>();
        int size = folder.shape().size();
        byte[] buf = new byte[size];
        int n = folder.decodeAll((i, label, px) -> {
            for (int k = 0; k < size; k++) {
                buf[k] = (byte) Math.round(Math.min(1f, Math.max(0f, px[k])) * 255f);
            }
            checked.write(buf);
            labels.add(label);
        });
        long labelsOffset = MAGIC.length + (long) n * size;
        ByteBuffer lb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        labels.forEach(lb::putInt);
        checked.write(lb.array());
        ClassNames names = folder.classNames();
        ByteBuffer nb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(names.size());
        checked.write(nb.array());
        for (String name : names.asList()) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            checked.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            checked.write(b);
        }
        Shape s = folder.shape();
        ByteBuffer f = ByteBuffer.allocate(FOOTER).order(ByteOrder.LITTLE_ENDIAN);
        f.putInt(n).putInt(s.channels()).putInt(s.height()).putInt(s.width()).putInt(folder.skipped());
        f.putLong(labelsOffset).putLong(folder.signature()).putLong(crc.getValue()).put(END);
        raw.write(f.array());
    }

    private record Footer(int n, int c, int h, int w, int skipped, long labelsOffset, long signature, long crc) {
    }

    private static Footer footer(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < MAGIC.length + FOOTER) {
                throw new FormatException(file, "file of " + size + " bytes, too short for an image cache");
            }
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
            ch.read(head, 0);
            ByteBuffer f = ByteBuffer.allocate(FOOTER).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(f, size - FOOTER);
            f.flip();
            byte[] end = new byte[END.length];
            f.get(FOOTER - END.length, end);
            if (!java.util.Arrays.equals(head.array(), MAGIC) || !java.util.Arrays.equals(end, END)) {
                throw new FormatException(file, "not a cnn4j image cache (magic numbers missing)");
            }
            Footer r = new Footer(f.getInt(0), f.getInt(4), f.getInt(8), f.getInt(12), f.getInt(16), f.getLong(20), f.getLong(28), f.getLong(36));
            if (r.n < 1 || r.c < 1 || r.h < 1 || r.w < 1 || r.labelsOffset != MAGIC.length + (long) r.n * r.c * r.h * r.w
                    || r.labelsOffset + 4L * r.n + 4 > size - FOOTER) {
                throw new FormatException(file, "inconsistent footer: " + r.n + " images of " + r.c + "x" + r.h + "x" + r.w
                        + " do not fit a file of " + size + " bytes");
            }
            return r;
        }
    }

    private static long checksum(Path file, long length) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long pos = 0; pos < length; pos += 1 << 28) {
                long len = Math.min(1 << 28, length - pos);
                MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, pos, len);
                crc.update(b);
            }
        }
        return crc.getValue();
    }

    /**
     * Maps a cache (its checksum is not verified here: {@link #open} does that).
     *
     * @param file the cache
     * @return the dataset
     * @throws FormatException when the file is not an intact cache
     * @throws IOException     when reading fails
     */
    public static Dataset map(Path file) throws IOException {
        Footer f = footer(file);
        long size = Files.size(file);
        int[] labels = new int[f.n];
        List<String> names = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long tail = size - FOOTER - f.labelsOffset;
            if (tail > Integer.MAX_VALUE) {
                throw new FormatException(file, "labels and class names of " + tail + " bytes, more than expected");
            }
            ByteBuffer b = ByteBuffer.allocate((int) tail).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b, f.labelsOffset + b.position()) > 0) {
                // read fully
            }
            b.flip();
            b.asIntBuffer().get(labels);
            b.position(4 * f.n);
            int count = b.getInt();
            if (count < 1 || count > b.remaining() / 4) {
                throw new FormatException(file, "claims " + count + " class names, expected 1.." + b.remaining() / 4);
            }
            for (int k = 0; k < count; k++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new FormatException(file, "class name " + k + " claims " + len + " bytes, " + b.remaining() + " remain");
                }
                byte[] nb = new byte[len];
                b.get(nb);
                names.add(new String(nb, StandardCharsets.UTF_8));
            }
        }
        ClassNames cn;
        try {
            cn = ClassNames.of(names);
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, e.getMessage());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= cn.size()) {
                throw new FormatException(file, "label of image " + i + " is " + labels[i] + ", expected 0.." + (cn.size() - 1));
            }
        }
        return Dataset.of(new MappedSource(file, MAGIC.length, Shape.of(f.c, f.h, f.w), MappedSource.Encoding.UINT8, labels, cn, f.crc));
    }
}
