package io.github.cnn4j.io.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.cnn4j.io.FetchException;
import io.github.cnn4j.io.TestData;
import io.github.cnn4j.io.json.PaperFormat;
import io.github.cnn4j.io.json.PaperModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authors' files fetched over HTTP from a loopback server standing in for their repository's
 * raw file URLs (no other host is contacted): the real files when {@code ../shared} holds a copy,
 * otherwise generated files with their own checksums for the failure cases.
 */
class AuthorsFilesTest {
    @TempDir
    Path tmp;
    HttpServer server;
    ExecutorService pool;
    URI base;
    /** Path under the server's root to the bytes it serves; a missing path gives 404. */
    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    /** Paths whose response is cut after half of the declared length. */
    final Set<String> truncated = ConcurrentHashMap.newKeySet();
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getPath().substring(1);
            byte[] body = served.get(path);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            OutputStream os = ex.getResponseBody();
            if (truncated.contains(path)) {
                os.write(body, 0, body.length / 2);
                os.flush();
                ex.close(); // connection closed mid-file
                return;
            }
            os.write(body);
            os.close();
        });
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + AuthorsFiles.COMMIT + "/");
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        server.stop(0);
    }

    private FileFetcher.Builder fetcher(List<DataFile> files, String cache) {
        return FileFetcher.builder("paper", files).mirrors(List.of(base)).remoteSuffix("").cacheDir(tmp.resolve(cache))
                .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5)).stallTimeout(Duration.ofSeconds(5));
    }

    private void serve(String relative, byte[] body) {
        served.put(AuthorsFiles.COMMIT + "/" + relative, body);
    }

    private static List<String> regularFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void theListIsTheAuthorsTwentyFourFilesAtOneCommit() {
        List<DataFile> files = AuthorsFiles.files();
        assertEquals(24, files.size());
        Set<String> names = new HashSet<>();
        for (String l : AuthorsFiles.MODELS) {
            names.add(AuthorsFiles.model(l));
            names.add(AuthorsFiles.config(l));
            names.add(AuthorsFiles.blockErrorLog(l));
            names.add("runs/CNN_" + l + ".csv");
        }
        assertEquals(names, new HashSet<>(files.stream().map(DataFile::name).toList()));
        assertEquals(24, new HashSet<>(files.stream().map(DataFile::sha256).toList()).size(), "every file has its own checksum");
        assertTrue(files.stream().allMatch(f -> f.size() > 0));
        assertEquals(URI.create("https://raw.githubusercontent.com/sutterismine1/MNIST-digit-classification-4P80-group8/"
                + "94ea2dbe9d1ece9f2998290a78763e50576524e2/models/CNN_A.json"), AuthorsFiles.RAW_BASE.resolve(AuthorsFiles.model("A")));
        assertThrows(IllegalArgumentException.class, () -> AuthorsFiles.model("G"));
        assertTrue(AuthorsFiles.builder().build().cacheDir().endsWith(Path.of("paper")));
    }

    @Test
    void realFilesDownloadVerifyAndCache() throws IOException {
        Path shared = TestData.repoRoot().resolve("../shared/reference/paper").normalize();
        assumeTrue(Files.isDirectory(shared.resolve("models")), "no ../shared/reference/paper beside the repository to serve");
        for (DataFile f : AuthorsFiles.files()) {
            serve(f.name(), Files.readAllBytes(shared.resolve(f.name())));
        }
        Path dir = AuthorsFiles.builder().mirrors(List.of(base)).cacheDir(tmp.resolve("cache")).build().fetch();
        assertEquals(24, requests.get());
        assertEquals(AuthorsFiles.files().stream().map(DataFile::name).map(n -> Path.of(n).toString()).sorted().toList(), regularFiles(dir));
        for (DataFile f : AuthorsFiles.files()) {
            assertArrayEquals(Files.readAllBytes(shared.resolve(f.name())), Files.readAllBytes(dir.resolve(f.name())), f.name());
        }
        PaperModel b = PaperFormat.readModel(dir.resolve(AuthorsFiles.model("B")));
        assertEquals(3, b.trainedEpochs());
        AuthorsFiles.builder().mirrors(List.of(base)).cacheDir(tmp.resolve("cache")).build().fetch();
        assertEquals(24, requests.get(), "cached and verified: no request");
    }

    @Test
    void aLocalCopyIsASourceVerifiedLikeADownload() throws IOException {
        Path shared = TestData.repoRoot().resolve("../shared/reference/paper").normalize();
        assumeTrue(Files.isDirectory(shared.resolve("models")), "no ../shared/reference/paper beside the repository to copy from");
        Path dir = AuthorsFiles.builder().mirrors(List.of(base)).localSources(List.of(shared)).cacheDir(tmp.resolve("cache")).build().fetch();
        assertEquals(0, requests.get());
        assertEquals(24, regularFiles(dir).size());

        // A copy with one altered file: that file is refused and fetched from the mirror instead.
        Path copy = tmp.resolve("copy");
        for (DataFile f : AuthorsFiles.files()) {
            Files.createDirectories(copy.resolve(f.name()).getParent());
            Files.copy(shared.resolve(f.name()), copy.resolve(f.name()));
        }
        String altered = AuthorsFiles.config("C");
        Files.writeString(copy.resolve(altered), Files.readString(copy.resolve(altered)).replace("0.01", "0.02"));
        FetchException e = assertThrows(FetchException.class,
                () -> AuthorsFiles.builder().mirrors(List.of(base)).localSources(List.of(copy)).cacheDir(tmp.resolve("c2")).build().fetch());
        assertTrue(e.getMessage().contains(copy.resolve(altered) + ": SHA-256 mismatch: expected "), e.getMessage());
        assertTrue(e.getMessage().contains(base + altered + ": IOException: HTTP status 404"), e.getMessage());
        assertEquals(23, regularFiles(tmp.resolve("c2")).size());
        assertFalse(Files.exists(tmp.resolve("c2").resolve(altered)));
    }

    @Test
    void wrongContentIsRefusedWithAClearErrorAndLeavesNothing() throws Exception {
        byte[] good = "{\"seed\": 1}\n".getBytes(StandardCharsets.UTF_8);
        DataFile f = new DataFile("configs/config_X.json", good.length, sha256(good));
        byte[] bad = good.clone();
        bad[3] ^= 1;
        serve(f.name(), bad);
        FetchException e = assertThrows(FetchException.class, () -> fetcher(List.of(f), "cache").build().fetch());
        assertTrue(e.getMessage().contains("mirror " + base + "configs/config_X.json: FormatException: SHA-256 mismatch: expected " + f.sha256()
                + ", found " + sha256(bad)), e.getMessage());
        assertEquals("could not fetch 1 of 1 file(s) of paper into " + tmp.resolve("cache") + "; configs/config_X.json: mirror " + base
                + "configs/config_X.json: FormatException: SHA-256 mismatch: expected " + f.sha256() + ", found " + sha256(bad), e.summary());
        assertEquals(List.of(), regularFiles(tmp.resolve("cache")), "no partial or temporary file is left");
    }

    @Test
    void theRealChecksumsRefuseOtherContent() throws IOException {
        for (DataFile f : AuthorsFiles.files()) {
            serve(f.name(), new byte[(int) f.size()]); // right size, wrong bytes
        }
        FetchException e = assertThrows(FetchException.class,
                () -> AuthorsFiles.builder().mirrors(List.of(base)).cacheDir(tmp.resolve("cache")).build().fetch());
        for (DataFile f : AuthorsFiles.files()) {
            assertTrue(e.getMessage().contains(base + f.name() + ": FormatException: SHA-256 mismatch: expected " + f.sha256()), f.name());
        }
        assertEquals(List.of(), regularFiles(tmp.resolve("cache")));
    }

    @Test
    void truncatedAndOversizedDownloadsLeaveNothing() throws Exception {
        byte[] content = new byte[50_000];
        new java.util.Random(7).nextBytes(content);
        DataFile cut = new DataFile("runs/CNN_X_block_error.csv", content.length, sha256(content));
        DataFile longer = new DataFile("runs/CNN_Y.csv", content.length - 1, sha256(content));
        serve(cut.name(), content);
        truncated.add(AuthorsFiles.COMMIT + "/" + cut.name());
        serve(longer.name(), content);
        FetchException e = assertThrows(FetchException.class, () -> fetcher(List.of(cut, longer), "cache").build().fetch());
        assertTrue(e.getMessage().contains("mirror " + base + cut.name() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("mirror " + base + longer.name() + ": FormatException: content is longer than the expected "
                + (content.length - 1) + " bytes"), e.getMessage());
        assertEquals(List.of(), regularFiles(tmp.resolve("cache")));

        truncated.clear();
        Path dir = fetcher(List.of(cut), "cache").build().fetch();
        assertArrayEquals(content, Files.readAllBytes(dir.resolve(cut.name())));
    }

    @Test
    void offlineFailsFastWithOneLineNamingTheFirstFile() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + port + "/");
        long t0 = System.nanoTime();
        FetchException e = assertThrows(FetchException.class, () -> AuthorsFiles.builder().mirrors(List.of(dead))
                .cacheDir(tmp.resolve("cache")).connectTimeout(Duration.ofSeconds(2)).build().fetch());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "a dead mirror is tried once, not once per file");
        String first = AuthorsFiles.files().get(0).name();
        assertTrue(e.summary().startsWith("could not fetch 24 of 24 file(s) of paper into " + tmp.resolve("cache") + "; " + first
                + ": mirror " + dead + first + ": cannot connect"), e.summary());
        assertFalse(e.summary().contains("\n"));
        assertEquals(List.of(), regularFiles(tmp.resolve("cache")));
    }

    @Test
    void pathsMustStayInsideTheCache() {
        for (String bad : new String[] {"../x", "a/../b", "/abs", "a//b", "a/.hidden", "a\\b", "a/", "c:x"}) {
            assertThrows(IllegalArgumentException.class, () -> new DataFile(bad, 1, "0".repeat(64)), bad);
        }
        assertEquals("models/CNN_A.json", new DataFile("models/CNN_A.json", -1, "A".repeat(64)).name());
    }
}
