package io.github.cnn4j.model;

/**
 * A model, a data set or a run would need more memory than the {@link MemoryBudget} allows; thrown
 * before the allocation, with a one-line message naming the subject, the figure and the limit.
 */
public class MemoryBudgetException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String detail;

    /**
     * @param subject what needed the memory (a file name, a workspace)
     * @param detail  the figure, what it is made of, and the limit
     */
    public MemoryBudgetException(String subject, String detail) {
        super(subject + ": " + detail);
        this.detail = detail;
    }

    /** @return the message without the subject */
    public String detail() {
        return detail;
    }
}
