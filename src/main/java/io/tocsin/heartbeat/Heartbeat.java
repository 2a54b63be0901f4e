package io.tocsin.heartbeat;

import java.time.Duration;
import java.time.Instant;

import io.tocsin.alert.Severity;

/**
 * A dead-man's switch: a job (or Prometheus' Watchdog alert) pings it by name at least every {@code interval}; when no
 * ping came for {@code interval + grace}, the sweep raises an alert. {@code severity} null means the configured one.
 * {@code version} counts the item's writes: every change is conditional on the version it read.
 */
public record Heartbeat(String name, Duration interval, Duration grace, Severity severity, Instant createdAt,
        Instant lastPingAt, long pings, HeartbeatState state, Instant dueAt, String incidentId, Instant raisedAt,
        long version) {

    /** The dedup key of its alerts: one incident per heartbeat while it is late. */
    public String dedupKey() {
        return "heartbeat:" + name;
    }

    /** The last sign of life: the last ping, or the creation for a heartbeat never pinged. */
    public Instant since() {
        return lastPingAt != null ? lastPingAt : createdAt;
    }

    /** The deadline of a heartbeat last seen alive at {@code since}: since + interval + grace. */
    public static Instant deadline(Instant since, Duration interval, Duration grace) {
        return since.plus(interval).plus(grace);
    }

    /** Late at {@code now}: waiting, and its deadline is before now (at the deadline itself it is not late yet). */
    public boolean isLateAt(Instant now) {
        return state == HeartbeatState.WAITING && dueAt.isBefore(now);
    }

    Heartbeat with(HeartbeatState newState, Instant newDueAt, String newIncidentId, Instant newRaisedAt) {
        return new Heartbeat(name, interval, grace, severity, createdAt, lastPingAt, pings, newState, newDueAt,
                newIncidentId, newRaisedAt, version + 1);
    }
}
