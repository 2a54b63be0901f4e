package io.tocsin.time;

import java.time.Duration;

/**
 * A point in real elapsed time (not the injected clock, which tests stand still) by which a piece of work must stop
 * starting new steps: the sweep's budget inside its Lambda timeout.
 */
public final class Deadline {

    /** No limit: work started by a caller finishes what it started. */
    public static final Deadline NONE = new Deadline(Long.MAX_VALUE);

    private final long nanos;

    private Deadline(long nanos) {
        this.nanos = nanos;
    }

    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** Whether a step that may take up to {@code step} still ends before the deadline. */
    public boolean allows(Duration step) {
        return this == NONE || System.nanoTime() + step.toNanos() <= nanos;
    }

    public boolean passed() {
        return !allows(Duration.ZERO);
    }
}
