package io.tocsin.maintenance;

import java.time.Instant;
import java.util.Set;

import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;

/**
 * A span of time during which alerts are recorded but not paged. A null start or end leaves that side open
 * ({@code MAINTENANCE_MODE=true} without times is a window open on both sides). Compared as UTC instants, start
 * inclusive, end exclusive. Empty matchers match every alert; otherwise an alert must match every non-empty one.
 */
public record MaintenanceWindow(String id, Instant start, Instant end, String reason, String createdBy,
        Set<String> sources, Set<Severity> severities) {

    public static final String ENVIRONMENT_ID = "environment";

    public MaintenanceWindow {
        if (start != null && end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("end must be after start");
        }
        sources = Set.copyOf(sources);
        severities = Set.copyOf(severities);
    }

    /** A window that applies to every alert (the environment's). */
    public MaintenanceWindow(String id, Instant start, Instant end, String reason) {
        this(id, start, end, reason, null, Set.of(), Set.of());
    }

    public boolean covers(Instant instant) {
        return (start == null || !instant.isBefore(start)) && (end == null || instant.isBefore(end));
    }

    public boolean matches(Alert alert) {
        return (sources.isEmpty() || sources.contains(alert.source()))
                && (severities.isEmpty() || severities.contains(alert.severity()));
    }
}
