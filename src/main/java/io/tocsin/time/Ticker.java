package io.tocsin.time;

/**
 * Monotonic nanoseconds for how long something was kept (a per-container cache's age), never for what time it is:
 * that is the injected {@link java.time.Clock}, which tests move by days. Tests replace the ticker with one that stands
 * still, so that a cache loaded once stays loaded however long the suite runs.
 */
@FunctionalInterface
public interface Ticker {

    /** The system's monotonic time ({@link System#nanoTime()}). */
    Ticker SYSTEM = System::nanoTime;

    long nanos();
}
