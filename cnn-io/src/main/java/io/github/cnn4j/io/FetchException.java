package io.github.cnn4j.io;

import java.io.IOException;

/**
 * A data set could not be obtained from any of its sources. The message lists every source tried
 * and why it failed (each mirror's error, the npm client's exit code and the tail of its error
 * output, checksum mismatches).
 */
public class FetchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String summary;

    /** @param message every source tried and why it failed */
    public FetchException(String message) {
        super(message);
        this.summary = null;
    }

    /**
     * @param message every source tried and why it failed
     * @param summary the same in one line (how many files failed and the first reason)
     */
    public FetchException(String message, String summary) {
        super(message);
        this.summary = summary;
    }

    /**
     * @param message every source tried and why it failed
     * @param cause   the last underlying failure
     */
    public FetchException(String message, Throwable cause) {
        super(message, cause);
        this.summary = null;
    }

    /** @return the failure in one line: the summary when one was given, else the message's first line */
    public String summary() {
        if (summary != null) {
            return summary;
        }
        String m = getMessage() == null ? "fetch failed" : getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
