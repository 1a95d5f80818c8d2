package io.github.cnn4j.onnx;

/**
 * An ONNX model cannot be imported: it is malformed, hostile (sizes that do not add up, cycles,
 * external data) or uses an operator or attribute that cnn4j cannot run. The message is one line
 * naming the node, its operator and what is supported, or the tensor and what was expected.
 */
public final class OnnxImportException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what is wrong and what was expected */
    public OnnxImportException(String message) {
        super(message);
    }

    /**
     * @param message one line: what is wrong and what was expected
     * @param cause   the underlying failure
     */
    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
