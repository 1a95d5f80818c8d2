package io.github.cnn4j.model;

import java.util.Locale;

/**
 * How much memory a run may use, and the check made before every large allocation that input
 * decides (a model's parameters and workspaces, decoded data): a request larger than the budget, or
 * than what is left of it, is refused with a {@link MemoryBudgetException} naming the subject, the
 * figure and the limit, instead of an {@link OutOfMemoryError} halfway through.
 *
 * <p>Two checks: the request must not exceed the budget, which is the JVM's maximum heap
 * ({@link Runtime#maxMemory()}, set with {@code -Xmx}) or less when the system property
 * {@value #PROPERTY} says so (bytes, or with a suffix {@code k}, {@code m}, {@code g}:
 * {@code -Dcnn4j.memoryBudget=512m}, a cap on any one thing input makes the tool allocate); and it must
 * fit what is free in the heap now (the maximum heap minus the heap in use; when it does not, the
 * check asks for a garbage collection once and looks again before refusing).
 *
 * <pre>{@code MemoryBudget.current().require(file.toString(), cost.inferenceBytes(), "the model and one workspace");}</pre>
 */
public final class MemoryBudget {
    /** System property that sets a budget below the heap. */
    public static final String PROPERTY = "cnn4j.memoryBudget";

    private final long limit;
    private final String source;

    private MemoryBudget(long limit, String source) {
        this.limit = limit;
        this.source = source;
    }

    /**
     * @return the budget now: the heap, or the {@value #PROPERTY} property when it is smaller
     * @throws IllegalArgumentException when the property is set but not a size
     */
    public static MemoryBudget current() {
        long heap = Runtime.getRuntime().maxMemory();
        String heapText = heap == Long.MAX_VALUE ? "the JVM's unlimited heap" : "the JVM's maximum heap; raise it with java -Xmx";
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            long configured = parse(p.trim());
            if (configured < heap) {
                return new MemoryBudget(configured, "-D" + PROPERTY + "=" + p.trim());
            }
        }
        return new MemoryBudget(heap, heapText);
    }

    /**
     * @param bytes a fixed budget
     * @return a budget of that many bytes (still limited by what is free in the heap)
     */
    public static MemoryBudget ofBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a memory budget must be positive, got " + bytes);
        }
        return new MemoryBudget(bytes, "a budget of " + format(bytes));
    }

    /** @return the budget in bytes */
    public long limit() {
        return limit;
    }

    /**
     * Refuses a request that cannot fit.
     *
     * @param subject what is being loaded or run, usually a file name
     * @param bytes   what it will allocate
     * @param what    what the figure is made of, e.g. {@code "235,000,000 parameters and their gradients"}
     * @throws MemoryBudgetException naming the subject, the figure and the limit when {@code bytes} is more
     *                               than the budget or than what is left of it
     */
    public void require(String subject, long bytes, String what) {
        if (bytes > limit) {
            throw new MemoryBudgetException(subject, "needs " + format(bytes) + " (" + what + "), more than the memory budget of "
                    + format(limit) + " (" + source + ")");
        }
        if (bytes > freeHeap()) {
            System.gc(); // what is "in use" may be garbage; look once more before refusing
            long free = freeHeap();
            if (bytes > free) {
                long heap = Runtime.getRuntime().maxMemory();
                throw new MemoryBudgetException(subject, "needs " + format(bytes) + " (" + what + "), more than the "
                        + format(Math.max(0, free)) + " free of the JVM's heap of " + format(heap) + " (raise it with java -Xmx)");
            }
        }
    }

    private static long freeHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * @param bytes a size
     * @return it in binary units with three significant figures ({@code 1.95 GiB}, {@code 640 KiB}, {@code 12 bytes})
     */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }

    static long parse(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v < 1 || v > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return v * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + s + ": expected a size in bytes, optionally with k, m or g "
                    + "(e.g. 512m)");
        }
    }
}
