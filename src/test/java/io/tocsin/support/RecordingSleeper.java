package io.tocsin.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.time.Sleeper;

/** Instead of sleeping, remembers the wait and moves the test clock by it. */
@Singleton
public class RecordingSleeper implements Sleeper {

    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Inject
    MutableClock clock;

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        clock.advance(duration);
    }

    public List<Duration> waits() {
        return List.copyOf(waits);
    }

    public void clear() {
        waits.clear();
    }
}
