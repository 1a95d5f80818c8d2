package io.github.cnn4j.train;

import java.time.Duration;

/**
 * When to take a checkpoint within an epoch: once {@code every} samples were trained, or once
 * {@code interval} passed, since the last checkpoint (the trainer also takes one after every epoch).
 * Counts and times are passed in, so the policy itself reads no clock.
 */
public final class CheckpointCadence {
    private final long every;
    private final long intervalNanos;
    private long lastSeen;
    private long lastTime;

    /**
     * @param every    samples between checkpoints, or 0 for none by count
     * @param interval time between checkpoints, or zero for none by time
     */
    public CheckpointCadence(long every, Duration interval) {
        if (every < 0 || interval.isNegative()) {
            throw new IllegalArgumentException("checkpoint cadence must not be negative, got " + every + " samples and " + interval);
        }
        this.every = every;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Records that a checkpoint was taken (or training started).
     *
     * @param seen samples trained so far
     * @param now  {@link System#nanoTime()}
     */
    public void taken(long seen, long now) {
        lastSeen = seen;
        lastTime = now;
    }

    /**
     * @param seen samples trained so far
     * @param now  {@link System#nanoTime()}
     * @return whether a checkpoint is due
     */
    public boolean due(long seen, long now) {
        return (every > 0 && seen - lastSeen >= every) || (intervalNanos > 0 && now - lastTime >= intervalNanos);
    }
}
