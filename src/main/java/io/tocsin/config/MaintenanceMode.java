package io.tocsin.config;

import java.time.Instant;

/**
 * The deployment's maintenance mode as checked by {@link Settings}: on from {@code start} (null: always) until
 * {@code end} (null: until switched off), start inclusive, end exclusive. The maintenance package turns it into the
 * environment's window.
 */
public record MaintenanceMode(Instant start, Instant end) {

    public boolean covers(Instant instant) {
        return (start == null || !instant.isBefore(start)) && (end == null || instant.isBefore(end));
    }
}
