package io.tocsin.incident;

import java.time.Instant;

import io.tocsin.alert.Alert;
import io.tocsin.delivery.Delivery;

/**
 * An incident as stored: the alert that opened it, where it stands, and how its page went.
 *
 * @param duplicateCount   alerts with the same dedup key suppressed into this incident
 * @param escalationLevel  1 until the first escalation
 * @param nextEscalationAt when the escalation sweep is next due to look at it; null when it never will
 * @param suppressedReason set only for {@link IncidentStatus#SUPPRESSED} records
 */
public record Incident(String id, Alert alert, IncidentStatus status, Instant createdAt, long duplicateCount,
        Instant lastSeenAt, Delivery delivery, int escalationLevel, Instant nextEscalationAt,
        SuppressionReason suppressedReason, String maintenanceWindowId) {
}
