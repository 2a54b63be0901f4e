package io.tocsin.oncall;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One rotation: {@code members} take turns in order; turn 0 (the first member's) begins at local date-time
 * {@code start} in the layer's zone, whose time of day is the handoff time. {@code zone} is null to use the schedule's
 * zone. The layer covers no one before {@code from} (null: before {@code start}) nor from {@code until} on (null:
 * forever). With restrictions, the layer has someone only inside their windows; the rotation still advances outside.
 */
public record Layer(String id, ZoneId zone, LocalDateTime start, TurnLength turn, List<String> members,
        List<Restriction> restrictions, Instant from, Instant until) {

    public Layer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(turn, "turn");
        members = List.copyOf(members);
        restrictions = List.copyOf(restrictions);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a layer needs at least one member");
        }
    }

    /** A 24/7 layer from its start on, in the schedule's zone. */
    public static Layer simple(String id, LocalDateTime start, TurnLength turn, List<String> members) {
        return new Layer(id, null, start, turn, members, List.of(), null, null);
    }

    public ZoneId zoneOr(ZoneId scheduleZone) {
        return zone == null ? scheduleZone : zone;
    }

    /** The first instant the layer covers. */
    public Instant coverageStart(ZoneId scheduleZone) {
        return from != null ? from : ZonedDateTime.of(start, zoneOr(scheduleZone)).toInstant();
    }

    /** The member whose turn {@code k} is (negative k: turns before the start, continuing the cycle backwards). */
    public String member(long k) {
        return members.get((int) Math.floorMod(k, (long) members.size()));
    }
}
