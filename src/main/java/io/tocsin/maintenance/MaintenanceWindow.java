package io.tocsin.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;
import io.tocsin.config.MaintenanceMode;

/**
 * A span of time during which alerts are recorded but not paged. A null start or end leaves that side open
 * ({@code MAINTENANCE_MODE=true} without times is a window open on both sides). Compared as UTC instants, start
 * inclusive, end exclusive. Empty matchers match every alert; otherwise an alert must match every non-empty one.
 *
 * <p>A recurring window has a {@link Recurrence}: it covers an instant when one of its occurrences does; its start is
 * then the first occurrence's start and its end the series' end (null while the rule has no UNTIL or COUNT). Without
 * one (the shape every window had before recurrences, and the environment's window) it is the one span.
 */
public record MaintenanceWindow(String id, Instant start, Instant end, String reason, String createdBy,
        Set<String> sources, Set<Severity> severities, Recurrence recurrence, String createdActor) {

    public static final String ENVIRONMENT_ID = "environment";

    public MaintenanceWindow {
        if (start != null && end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("end must be after start");
        }
        sources = Set.copyOf(sources);
        severities = Set.copyOf(severities);
    }

    /** A window without an authenticated creator (windows created before issue 23 have none). */
    public MaintenanceWindow(String id, Instant start, Instant end, String reason, String createdBy,
            Set<String> sources, Set<Severity> severities, Recurrence recurrence) {
        this(id, start, end, reason, createdBy, sources, severities, recurrence, null);
    }

    /** This window created by {@code actor} (who AWS authenticated, io.tocsin.api.Actor's stored form). */
    public MaintenanceWindow withCreatedActor(String actor) {
        return new MaintenanceWindow(id, start, end, reason, createdBy, sources, severities, recurrence, actor);
    }

    /**
     * Whether this window silences every alert (no sources, no severities) for longer than {@code limit} at a time:
     * one occurrence of a recurring window, the whole span of a one-off one (no end: forever).
     */
    public boolean unscopedLongerThan(Duration limit) {
        if (!sources.isEmpty() || !severities.isEmpty()) {
            return false;
        }
        Duration span = recurrence != null ? recurrence.length()
                : start == null || end == null ? null : Duration.between(start, end);
        return span == null || span.compareTo(limit) > 0;
    }

    /** A one-off window: one span, no recurrence. */
    public MaintenanceWindow(String id, Instant start, Instant end, String reason, String createdBy,
            Set<String> sources, Set<Severity> severities) {
        this(id, start, end, reason, createdBy, sources, severities, null);
    }

    /** A window that applies to every alert (the environment's). */
    public MaintenanceWindow(String id, Instant start, Instant end, String reason) {
        this(id, start, end, reason, null, Set.of(), Set.of());
    }

    /** The deployment's window: {@code MAINTENANCE_MODE} and its times, for every alert. */
    public static MaintenanceWindow environment(MaintenanceMode mode) {
        return new MaintenanceWindow(ENVIRONMENT_ID, mode.start(), mode.end(), "MAINTENANCE_MODE is on");
    }

    public boolean covers(Instant instant) {
        return (start == null || !instant.isBefore(start)) && (end == null || instant.isBefore(end))
                && (recurrence == null || recurrence.covers(instant));
    }

    public boolean matches(Alert alert) {
        return (sources.isEmpty() || sources.contains(alert.source()))
                && (severities.isEmpty() || severities.contains(alert.severity()));
    }
}
