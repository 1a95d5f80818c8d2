package io.github.cnn4j.io.json;

/** What a JSON model or config file holds, as told by {@link ModelFiles#detect}. */
public enum ModelFileKind {
    /** A native model ({@code "format": "cnn4j-model"}), read by {@link NativeModelFormat}. */
    CNN4J_MODEL,
    /** A trained model in the paper's format, read by {@link PaperFormat#readModel}. */
    PAPER_MODEL,
    /** A config in the paper's format (no weights), read by {@link PaperFormat#readConfig}. */
    PAPER_CONFIG
}
