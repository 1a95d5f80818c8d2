package io.github.cnn4j.model;

/**
 * Layers that do not fit together, found by {@link Sequential#plan}: which layer (its index in the
 * list it was planned in) and why, so that callers can name the layer their own way (a file reader
 * names the file entry).
 */
public final class PlanException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int layer;
    private final String reason;

    /**
     * @param layer  index of the layer that does not fit
     * @param name   its name, for the message
     * @param reason why, e.g. {@code cannot take input (2, 26, 26): ...}
     * @param cause  the layer's own exception, or null
     */
    PlanException(int layer, String name, String reason, Throwable cause) {
        super("layer " + layer + " " + name + (reason.startsWith("cannot") ? " " : ": ") + reason, cause);
        this.layer = layer;
        this.reason = reason;
    }

    /** @return index of the layer that does not fit */
    public int layer() {
        return layer;
    }

    /** @return why it does not fit, without the layer's index and name */
    public String reason() {
        return reason;
    }
}
