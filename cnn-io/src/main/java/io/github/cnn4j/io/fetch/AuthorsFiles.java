package io.github.cnn4j.io.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The files the paper's authors published with it: their six trained models
 * ({@code models/CNN_A.json} ... {@code CNN_F.json}), their training configs
 * ({@code configs/config_A.json} ...), and their run logs ({@code runs/CNN_X.csv} per epoch,
 * {@code runs/CNN_X_block_error.csv} per block of 250 samples), from their public repository at one
 * fixed commit.
 *
 * <p>Their repository carries no license, so cnn4j does not include these files: it downloads them
 * from the raw file URLs at {@link #COMMIT}, checks each against the size and SHA-256 recorded here,
 * and caches them under {@code ~/.cache/cnn4j/paper} (or {@code $CNN4J_DATA/paper}) with the
 * repository's relative paths. A local directory holding a copy (same relative paths) can be given
 * as a source; its files are verified the same way.
 *
 * <pre>{@code
 * Path paper = AuthorsFiles.builder().build().fetch();            // fetched once, then cached
 * PaperModel b = PaperFormat.readModel(paper.resolve("models/CNN_B.json"));
 * Path offline = AuthorsFiles.builder().localSources(List.of(copy)).build().fetch();
 * }</pre>
 */
public final class AuthorsFiles {
    /** The authors' public repository. */
    public static final String REPOSITORY = "https://github.com/sutterismine1/MNIST-digit-classification-4P80-group8";
    /** The commit whose files cnn4j verifies against. */
    public static final String COMMIT = "94ea2dbe9d1ece9f2998290a78763e50576524e2";
    /** Base URL of the raw files at {@link #COMMIT}. */
    public static final URI RAW_BASE = URI.create("https://raw.githubusercontent.com/sutterismine1/MNIST-digit-classification-4P80-group8/"
            + COMMIT + "/");
    /** The cache sub-directory and the name in messages. */
    public static final String ID = "paper";
    /** Models A to F. */
    public static final List<String> MODELS = List.of("A", "B", "C", "D", "E", "F");

    private static final List<DataFile> FILES = List.of(
            new DataFile("configs/config_A.json", 330L, "ce00e93934cc03dec2cf76af3fc7ad315d9c3dc1607a46453b8da6c248b45ea9"),
            new DataFile("configs/config_B.json", 473L, "e268bb81aa146f8c7c24571149f9cfa8524cae71e8e8cc82d6c7e893efc200c4"),
            new DataFile("configs/config_C.json", 521L, "5f5a17fb3d5a7988547c5f77c6bf3900844af849b53d7e1851d0251e9ea9fe0c"),
            new DataFile("configs/config_D.json", 472L, "ee01bfad6665604fe2c96f842504e84aaea44a73562736ba7460a34175be8bf0"),
            new DataFile("configs/config_E.json", 522L, "363d139eaf97fd2543333c4c3ea916f3a44e29b194d1f48de963f5b5ce19fdf1"),
            new DataFile("configs/config_F.json", 522L, "6516c99782547a57eb3d32f18af68b1117799998713c6e6a1121191395b43833"),
            new DataFile("models/CNN_A.json", 563073L, "aa52bf221518d03b9126e8fa62e58ec60ed8a138936fa4d76374f255b8271d25"),
            new DataFile("models/CNN_B.json", 107504L, "833f73f1496615b3c9721bc632cdda95f628a3788d5fd0e8095a01e99d1c99a0"),
            new DataFile("models/CNN_C.json", 143660L, "3d7f835f045fe54cd4488b2793cdbd3563b3f55a1e6770eba735c8e85a6ff1a9"),
            new DataFile("models/CNN_D.json", 132036L, "a3954ccd400ff8322591fdb1f198c4be897d2e7423a05cd8381d0537f32a422e"),
            new DataFile("models/CNN_E.json", 176071L, "4eb53259c15cc62f8fbd16e021bd7b12e1ab724691ca66c29b3b14695eb80998"),
            new DataFile("models/CNN_F.json", 171624L, "d47cdc69a9d84d6fd0455d8bb4851d8339fd229b7281a55d59a6200205769f0a"),
            new DataFile("runs/CNN_A.csv", 555L, "a0ba5b5373a3064069b73e3eeab27d04c749781f8771032bd6dc3799728ae892"),
            new DataFile("runs/CNN_A_block_error.csv", 45578L, "8ca28b527eb8e1b624d72f69c0eb9c61973970d6193e848dfd2e4d23cf8564b7"),
            new DataFile("runs/CNN_B.csv", 422L, "3083ba01964edf05903e45212bccc16ca32aca0f9424932ff58ea80a1003cc77"),
            new DataFile("runs/CNN_B_block_error.csv", 35540L, "543ce2b2754ff1dfb66e428ba62268af00aabdb58841905a6544efa609c9c44c"),
            new DataFile("runs/CNN_C.csv", 446L, "9e8e1a0a51f348fe6aec9f901755206ee942b9cd10d31d4a409c1686bcecb451"),
            new DataFile("runs/CNN_C_block_error.csv", 34388L, "f35c1ba85162dc790eba70964ec76cb37924d9508b5878020eddf3f67ee5878f"),
            new DataFile("runs/CNN_D.csv", 544L, "d2d0e2b1ace70e907f8153f585a88f6acb8fc668c07bd76a2ca91619a746ca74"),
            new DataFile("runs/CNN_D_block_error.csv", 20254L, "dac8a5e57471f3878b2a9261b0b288fe687b078d4878dc5c01633774dddd0f80"),
            new DataFile("runs/CNN_E.csv", 489L, "2e17d5d20b9acf75843cf8f2690acc27ca377ca1cac75456e190e00f118f295c"),
            new DataFile("runs/CNN_E_block_error.csv", 19413L, "18fc3f5779c48ddb9344a38bd556f8d6fb78dfd91ddd6b018fb446aebd58fc1e"),
            new DataFile("runs/CNN_F.csv", 254L, "3bede2f0bfb75015789c8d750f316be8106b3faddd0a4b67790cb66a2b90a15a"),
            new DataFile("runs/CNN_F_block_error.csv", 23458L, "3691a40b766326d16b49a73f303029f94eb190e82ab51122d391f15e3ffde422"));

    private AuthorsFiles() {
    }

    /** @return the 24 files: relative path, size and SHA-256 of each */
    public static List<DataFile> files() {
        return FILES;
    }

    /**
     * @param letter A to F
     * @return the relative path of the authors' trained model, e.g. {@code models/CNN_A.json}
     */
    public static String model(String letter) {
        return "models/CNN_" + check(letter) + ".json";
    }

    /**
     * @param letter A to F
     * @return the relative path of the authors' training config, e.g. {@code configs/config_A.json}
     */
    public static String config(String letter) {
        return "configs/config_" + check(letter) + ".json";
    }

    /**
     * @param letter A to F
     * @return the relative path of the authors' per-block training error log, e.g. {@code runs/CNN_A_block_error.csv}
     */
    public static String blockErrorLog(String letter) {
        return "runs/CNN_" + check(letter) + "_block_error.csv";
    }

    /**
     * A fetcher preset for the authors' files: the raw URLs at {@link #COMMIT} as the only mirror,
     * no suffix, the default cache directory {@code <cache root>/paper}.
     *
     * @return a builder; every setting may be changed (e.g. a local copy as source, another cache directory)
     */
    public static FileFetcher.Builder builder() {
        return FileFetcher.builder(ID, FILES).mirrors(List.of(RAW_BASE)).remoteSuffix("");
    }

    /**
     * Makes sure the authors' files are in the default cache, downloading what is missing.
     *
     * @return the cache directory, holding {@code models/}, {@code configs/} and {@code runs/}
     * @throws io.github.cnn4j.io.FetchException when some file could not be obtained or verified (offline, say)
     * @throws IOException when the cache directory cannot be created or read
     */
    public static Path fetch() throws IOException {
        return builder().build().fetch();
    }

    private static String check(String letter) {
        if (!MODELS.contains(letter)) {
            throw new IllegalArgumentException("the authors published models A to F, not '" + letter + "'");
        }
        return letter;
    }
}
