package io.tocsin.oncall;

import java.time.Instant;
import java.util.Objects;

/** {@code person} replaces whoever is on call (on every layer) from {@code start} to {@code end}. */
public record ScheduleOverride(String person, Instant start, Instant end) {

    public ScheduleOverride {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    public boolean overlaps(ScheduleOverride other) {
        return start.isBefore(other.end) && other.start.isBefore(end);
    }
}
