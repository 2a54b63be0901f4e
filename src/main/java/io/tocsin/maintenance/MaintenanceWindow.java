package io.tocsin.maintenance;

import java.time.Instant;

/**
 * A span of time during which alerts are recorded but not paged. A null start or end leaves that side open
 * ({@code MAINTENANCE_MODE=true} without times is a window open on both sides). Compared as UTC instants, start
 * inclusive, end exclusive.
 */
public record MaintenanceWindow(String id, Instant start, Instant end, String reason) {

    public static final String ENVIRONMENT_ID = "environment";

    public MaintenanceWindow {
        if (start != null && end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("end must be after start");
        }
    }

    public boolean covers(Instant instant) {
        return (start == null || !instant.isBefore(start)) && (end == null || instant.isBefore(end));
    }
}
