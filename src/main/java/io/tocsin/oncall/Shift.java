package io.tocsin.oncall;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A person on call from {@code start} (inclusive) to {@code end} (exclusive). */
public record Shift(String person, Instant start, Instant end) {

    public Shift {
        Objects.requireNonNull(person, "person");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("a shift must end after it starts: " + start + " .. " + end);
        }
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    public Duration length() {
        return Duration.between(start, end);
    }
}
