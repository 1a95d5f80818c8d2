package io.github.cnn4j.io;

import java.io.IOException;

/**
 * A data set could not be obtained from any of its sources. The message lists every source tried
 * and why it failed (each mirror's error, the npm client's exit code and the tail of its error
 * output, checksum mismatches).
 */
public class FetchException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message every source tried and why it failed */
    public FetchException(String message) {
        super(message);
    }

    /**
     * @param message every source tried and why it failed
     * @param cause   the last underlying failure
     */
    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
