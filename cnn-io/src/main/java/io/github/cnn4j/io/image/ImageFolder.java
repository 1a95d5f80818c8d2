package io.github.cnn4j.io.image;

import io.github.cnn4j.data.ClassNames;
import io.github.cnn4j.data.Dataset;
import io.github.cnn4j.data.LazySource;
import io.github.cnn4j.data.PrefetchingSource;
import io.github.cnn4j.io.FormatException;
import io.github.cnn4j.random.Seeds;
import io.github.cnn4j.tensor.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images in a folder tree with one sub-folder per class, as torchvision's and DJL's
 * {@code ImageFolder} and Keras' {@code image_dataset_from_directory} read them:
 *
 * <pre>
 * root/cat/0001.png      label 0 ("cat")
 * root/cat/0002.jpg
 * root/dog/a.bmp         label 1 ("dog")
 * </pre>
 *
 * Class folders are sorted by name (Unicode code points) and numbered from 0; files in a class folder
 * are sorted by name. PNG, JPEG, BMP and GIF files (by extension, any case) are read through
 * ImageIO; other files and hidden files are ignored. Every image becomes a
 * {@code (channels, height, width)} sample in {@code [0, 1]} by {@link ImageDecoder}, brought to one
 * size by a {@link ResizePolicy} (default {@link ResizePolicy#STRETCH}; without a size, the first
 * image's size).
 *
 * <pre>{@code
 * ImageFolder f = ImageFolder.builder(Path.of("photos/train")).size(64, 64).channels(3).build();
 * Dataset data = f.cached(Path.of("photos/train.cache"));   // decoded once, memory-mapped afterwards
 * }</pre>
 *
 * <p>Bad files: an undecodable, truncated or hostile image (see {@link ImageLimits}) is a
 * {@link FormatException} naming the file, or with {@code skipBad} a warning in the log and one
 * sample less, counted in {@link #skipped()}. A class folder without images is always an error.
 */
public final class ImageFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    /** Most images decoded ahead of the consumer, and most bytes they may take together. */
    private static final int CHUNK = 256;
    private static final long CHUNK_BYTES = 16L << 20;

    private final Path root;
    private final ClassNames names;
    private final List<Path> files;
    private final int[] labels;
    private final long listingHash;
    private final int channels;
    private final int height;
    private final int width;
    private final ResizePolicy policy;
    private final boolean skipBad;
    private final ImageLimits limits;
    private final int threads;
    private volatile int skipped;

    private ImageFolder(Builder b, ClassNames names, List<Path> files, int[] labels, long listingHash, int height, int width) {
        this.root = b.root;
        this.names = names;
        this.files = List.copyOf(files);
        this.labels = labels;
        this.listingHash = listingHash;
        this.channels = b.channels;
        this.height = height;
        this.width = width;
        this.policy = b.policy;
        this.skipBad = b.skipBad;
        this.limits = b.limits;
        this.threads = b.threads;
    }

    /**
     * @param root the folder holding one sub-folder per class
     * @return a builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Settings of an {@link ImageFolder}. */
    public static final class Builder {
        private final Path root;
        private int channels = 1;
        private int height;
        private int width;
        private ResizePolicy policy = ResizePolicy.STRETCH;
        private boolean skipBad;
        private ImageLimits limits = ImageLimits.DEFAULT;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder(Path root) {
            this.root = root;
        }

        /**
         * @param height sample height in pixels
         * @param width  sample width in pixels
         * @return this builder
         */
        public Builder size(int height, int width) {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("image size must be at least 1 x 1, got " + height + " x " + width);
            }
            this.height = height;
            this.width = width;
            return this;
        }

        /**
         * @param channels 1 (grayscale, default) or 3 (RGB)
         * @return this builder
         */
        public Builder channels(int channels) {
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
            }
            this.channels = channels;
            return this;
        }

        /**
         * @param policy how images of another size are brought to the sample size
         * @return this builder
         */
        public Builder resize(ResizePolicy policy) {
            this.policy = policy;
            return this;
        }

        /**
         * @param skipBad true: bad images are logged, skipped and counted instead of failing
         * @return this builder
         */
        public Builder skipBad(boolean skipBad) {
            this.skipBad = skipBad;
            return this;
        }

        /**
         * @param limits largest images decoded
         * @return this builder
         */
        public Builder limits(ImageLimits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * @param threads decoding threads, at least 1 (default: the available processors)
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Lists the folder tree (decodes nothing, except the first image's header when no size was given).
         *
         * @return the image folder
         * @throws FormatException when the root has no class folders, a class folder has no images,
         *                         or (without a size) the first image cannot be read
         * @throws IOException     when listing fails
         */
        public ImageFolder build() throws IOException {
            if (!Files.isDirectory(root)) {
                throw new FormatException(root, "expected a folder with one sub-folder of images per class, found no such folder");
            }
            List<Path> classDirs;
            try (Stream<Path> s = Files.list(root)) {
                classDirs = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted(ImageFolder::byName).toList();
            }
            if (classDirs.isEmpty()) {
                throw new FormatException(root, "expected one sub-folder of images per class, found no sub-folder");
            }
            List<String> names = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            long h = 0xCBF29CE484222325L;
            for (int c = 0; c < classDirs.size(); c++) {
                Path dir = classDirs.get(c);
                List<Path> images;
                try (Stream<Path> s = Files.list(dir)) {
                    images = s.filter(ImageFolder::isImage).sorted(ImageFolder::byName).toList();
                }
                if (images.isEmpty()) {
                    throw new FormatException(dir, "class folder '" + dir.getFileName() + "' holds no PNG, JPEG, BMP or GIF images");
                }
                names.add(dir.getFileName().toString());
                for (Path f : images) {
                    files.add(f);
                    labels.add(c);
                    h = hash(h, root.relativize(f).toString());
                    h = Seeds.mix(h, Files.size(f), Files.getLastModifiedTime(f).toMillis());
                }
            }
            int hh = height;
            int ww = width;
            if (hh == 0) {
                int[] wh = ImageDecoder.dimensions(files.get(0), limits);
                ww = wh[0];
                hh = wh[1];
                LOG.info("{}: no image size given, using the first image's {} x {} ({} for the others)", root, ww, hh, policy);
            }
            int[] lab = labels.stream().mapToInt(Integer::intValue).toArray();
            LOG.info("{}: {} images in {} classes {}", root, files.size(), names.size(), names);
            return new ImageFolder(this, ClassNames.of(names), files, lab, h, hh, ww);
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return !hidden(p) && dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT)) && Files.isRegularFile(p);
    }

    private static int byName(Path a, Path b) {
        return a.getFileName().toString().compareTo(b.getFileName().toString());
    }

    private static long hash(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }

    /** @return the folder */
    public Path root() {
        return root;
    }

    /** @return class names: the sub-folder names, sorted */
    public ClassNames classNames() {
        return names;
    }

    /** @return the image files, class after class, each class's sorted by name */
    public List<Path> files() {
        return files;
    }

    /**
     * @param i file index
     * @return its label
     */
    public int label(int i) {
        return labels[i];
    }

    /** @return shape of one sample: {@code (channels, height, width)} */
    public Shape shape() {
        return Shape.of(channels, height, width);
    }

    /** @return the resize policy */
    public ResizePolicy policy() {
        return policy;
    }

    /** @return whether bad images are skipped */
    public boolean skipBad() {
        return skipBad;
    }

    /** @return bad images skipped by the last {@link #load()}, {@link #lazy(int)} or {@link #cached(Path)} (also when the cache was reused) */
    public int skipped() {
        return skipped;
    }

    void skipped(int n) {
        skipped = n;
    }

    /**
     * A hash of everything a cache depends on: the file list with sizes and modification times,
     * and the decoding settings. Changes when a file is added, removed, renamed, resized or touched.
     *
     * @return the signature
     */
    public long signature() {
        long h = Seeds.mix(listingHash, channels, height);
        h = Seeds.mix(h, width, policy.ordinal());
        h = Seeds.mix(h, skipBad ? 1 : 0, limits.hashCode());
        return h;
    }

    /**
     * Decodes one image to the sample shape.
     *
     * @param i file index
     * @return {@code shape().size()} values
     * @throws IOException naming the file when it is bad
     */
    public float[] decode(int i) throws IOException {
        return ImageDecoder.decode(files.get(i), channels, height, width, policy, limits);
    }

    /** Receives decoded images in file order. */
    @FunctionalInterface
    interface Sink {
        void accept(int file, int label, float[] pixels) throws IOException;
    }

    /**
     * Decodes every image on {@code threads} threads, handing them to {@code sink} in file order;
     * bad images fail or (skipBad) are logged and counted. At most 256 decoded images, and at most
     * 16 MiB of them, wait for the sink, so the heap needed does not grow with the folder.
     *
     * @return number of images handed on
     */
    int decodeAll(Sink sink) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cnn4j-decode");
            t.setDaemon(true);
            return t;
        });
        int good = 0;
        int bad = 0;
        long t0 = System.nanoTime();
        int chunkSize = (int) Math.max(1, Math.min(CHUNK, CHUNK_BYTES / (4L * shape().size())));
        try {
            for (int from = 0; from < files.size(); from += chunkSize) {
                int to = Math.min(files.size(), from + chunkSize);
                List<Future<float[]>> chunk = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    int k = i;
                    chunk.add(pool.submit(() -> decode(k)));
                }
                for (int i = from; i < to; i++) {
                    float[] px;
                    try {
                        px = chunk.get(i - from).get();
                    } catch (ExecutionException e) {
                        IOException io = e.getCause() instanceof IOException x ? x
                                : new FormatException(files.get(i), "cannot decode: " + e.getCause(), e.getCause());
                        if (!skipBad) {
                            throw io;
                        }
                        LOG.warn("skipped bad image {}", io.getMessage());
                        bad++;
                        continue;
                    }
                    sink.accept(i, labels[i], px);
                    good++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decoding " + root, e);
        } finally {
            pool.shutdownNow();
        }
        skipped = bad;
        double secs = (System.nanoTime() - t0) / 1e9;
        LOG.info("{}: decoded {} images in {} s ({} images/s){}", root, good, String.format(Locale.ROOT, "%.1f", secs),
                Math.round(good / Math.max(secs, 1e-9)), bad > 0 ? ", skipped " + bad + " bad image(s)" : "");
        if (good == 0) {
            throw new FormatException(root, "no image could be decoded (" + bad + " bad)");
        }
        return good;
    }

    /**
     * Decodes every image into memory.
     *
     * @return the dataset, with the class names
     * @throws FormatException naming the file when an image is bad (without skipBad), or when the
     *                         images would not fit in one array (use {@link #cached(Path)})
     * @throws IOException     when reading fails
     */
    public Dataset load() throws IOException {
        int size = shape().size();
        if ((long) files.size() * size > Integer.MAX_VALUE - 8) {
            throw new FormatException(root, files.size() + " images of " + shape() + " need " + (long) files.size() * size
                    + " values, more than one array holds: use a cache (memory-mapped) instead");
        }
        float[] all = new float[files.size() * size];
        int[] lab = new int[files.size()];
        int[] n = {0};
        decodeAll((file, label, px) -> {
            System.arraycopy(px, 0, all, n[0] * size, size);
            lab[n[0]++] = label;
        });
        float[] images = n[0] == files.size() ? all : java.util.Arrays.copyOf(all, n[0] * size);
        return new Dataset(images, java.util.Arrays.copyOf(lab, n[0]), shape(), names);
    }

    /**
     * The images decoded when read, on {@code prefetchThreads} threads ahead of training. Nothing is
     * decoded here, but every header is read and checked, so a file that is not an image or claims
     * too many pixels fails here (or, with skipBad, is skipped and counted); a file that fails later,
     * in decoding (a truncated image), fails the read that needs it.
     *
     * @param prefetchThreads decoding threads, at least 1
     * @return the dataset (its source is a {@link PrefetchingSource})
     * @throws FormatException naming the file when a header is bad (without skipBad)
     * @throws IOException     when reading fails
     */
    public Dataset lazy(int prefetchThreads) throws IOException {
        List<Integer> keep = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < files.size(); i++) {
            try {
                ImageDecoder.dimensions(files.get(i), limits);
            } catch (FormatException e) {
                if (!skipBad) {
                    throw e;
                }
                LOG.warn("skipped bad image {}", e.getMessage());
                bad++;
                continue;
            }
            keep.add(i);
        }
        skipped = bad;
        int[] idx = keep.stream().mapToInt(Integer::intValue).toArray();
        int[] lab = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            lab[k] = labels[idx[k]];
        }
        LazySource src = new LazySource(shape(), lab, names, (i, dst, off) -> {
            try {
                float[] px = decode(idx[i]);
                System.arraycopy(px, 0, dst, off, px.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }, signature());
        return Dataset.of(new PrefetchingSource(src, prefetchThreads, 256));
    }

    /**
     * The images decoded once into a cache file and memory-mapped from it; see {@link ImageCache}.
     *
     * @param cacheFile the cache (created, reused, or rebuilt when the folder changed)
     * @return the dataset, read from the mapped cache
     * @throws IOException when decoding or writing fails
     */
    public Dataset cached(Path cacheFile) throws IOException {
        return ImageCache.open(this, cacheFile);
    }

    @Override
    public String toString() {
        return "ImageFolder(" + root + ", " + files.size() + " images, " + names.size() + " classes, " + shape() + ", " + policy + ")";
    }
}
