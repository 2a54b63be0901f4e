package io.tocsin.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tocsin.alert.Alert;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.PagerDutyAction;

/**
 * An incident as stored: the alert that opened it, where it stands, how each of its PagerDuty events went, and its
 * timeline.
 *
 * @param duplicateCount   alerts with the same dedup key suppressed into this incident
 * @param deliveries       the PagerDuty events of this incident, by action (trigger first)
 * @param escalationLevel  1 until the first escalation
 * @param nextEscalationAt when the escalation sweep is next due to look at it; null when it never will
 * @param suppressedReason set only for {@link IncidentStatus#SUPPRESSED} records
 */
public record Incident(String id, Alert alert, IncidentStatus status, Instant createdAt, long duplicateCount,
        Instant lastSeenAt, Map<PagerDutyAction, Delivery> deliveries, int escalationLevel, Instant nextEscalationAt,
        SuppressionReason suppressedReason, String maintenanceWindowId, Instant acknowledgedAt, String acknowledgedBy,
        Instant resolvedAt, String resolvedBy, String resolutionNotes, List<TimelineEvent> timeline) {

    public Incident {
        deliveries = Map.copyOf(deliveries);
        timeline = List.copyOf(timeline);
    }

    /** The trigger's delivery: how the page itself went. */
    public Delivery delivery() {
        return deliveries.get(PagerDutyAction.TRIGGER);
    }

    /** When the earliest pending PagerDuty event other than {@code action} is due, or null when none is pending. */
    public Instant nextPendingExcept(PagerDutyAction action) {
        return deliveries.entrySet().stream()
                .filter(e -> e.getKey() != action && e.getValue().state() == io.tocsin.delivery.DeliveryState.PENDING)
                .map(e -> e.getValue().nextAttempt()).filter(java.util.Objects::nonNull)
                .min(java.util.Comparator.naturalOrder()).orElse(null);
    }

    /** Minutes from creation to acknowledgment (or to resolution, for incidents resolved without one). */
    public java.time.Duration timeToAcknowledge() {
        Instant first = acknowledgedAt != null ? acknowledgedAt : resolvedAt;
        return first == null ? null : java.time.Duration.between(createdAt, first);
    }

    public java.time.Duration timeToResolve() {
        return resolvedAt == null ? null : java.time.Duration.between(createdAt, resolvedAt);
    }
}
