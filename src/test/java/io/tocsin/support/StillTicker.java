package io.tocsin.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.tocsin.time.Ticker;

/**
 * The application's monotonic ticker in tests: it stands still until a test moves it, so a per-container cache
 * (the on-call snapshot) loaded once stays loaded however long the suite runs. Replaces {@link Ticker#SYSTEM}.
 */
@Singleton
public class StillTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
