package io.tocsin.time;

import java.time.Duration;

/** Waits between retries. Injected so that tests move a clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry", e);
        }
    };

    void sleep(Duration duration);
}
