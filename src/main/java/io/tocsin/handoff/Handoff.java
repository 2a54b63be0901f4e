package io.tocsin.handoff;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One notice of a shift boundary: at {@code boundary} on schedule {@code schedule}, {@code person} came on call
 * ({@code incoming}) or went off ({@code !incoming}); {@code other} is the person on the other side of the boundary
 * (null: no one), {@code until} the end of an incoming shift if known.
 */
public record Handoff(String schedule, Instant boundary, boolean incoming, String person, String other,
        Instant until) {

    public Handoff {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(person, "person");
        boundary = boundary.truncatedTo(ChronoUnit.MILLIS);
    }

    /** {@code incoming} or {@code outgoing}. */
    public String role() {
        return incoming ? "incoming" : "outgoing";
    }
}
