package io.tocsin.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tocsin.alert.Alert;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;

/**
 * An incident as stored: the alert that opened it, where it stands, its outbox of outward effects (PagerDuty events,
 * escalations, emails) and its timeline.
 *
 * @param duplicateCount   alerts with the same dedup key suppressed into this incident
 * @param outbox           every outward effect the incident caused, in sequence order
 * @param escalationLevel  1 until the first escalation
 * @param nextEscalationAt when the escalation sweep is next due to look at it; null when it never will
 * @param suppressedReason set only for {@link IncidentStatus#SUPPRESSED} records
 * @param outboxVersion    raised by every write to the outbox; outcome writes are conditional on it. 0 for an item
 *                         in the format before the outbox (its PagerDuty events are read into {@code outbox})
 * @param repeatDueAt      when the next repeat of its alert is forwarded to PagerDuty (ALERT_DEDUP_WINDOW after the
 *                         last forward); null for items written before repeats were forwarded (creation + window)
 * @param timelineDropped  timeline events dropped from the middle of the timeline to keep the item in its budget
 * @param outboxDropped    finished outbox entries dropped from its start to keep the item in its budget
 * @param policy           the escalation policy routing gave it (docs/oncall.md), or null: escalated by level as
 *                         before on-call existed. With a policy, {@code escalationLevel} counts the policy's steps
 *                         written so far (every pass's steps in a row, then one for the exhaustion)
 * @param policyStart      when its policy's first step was due (creation, or the acknowledgment timeout that
 *                         restarted it); null without a policy
 * @param acknowledgedActor who acknowledged it as AWS authenticated them (an IAM principal's ARN, a token, or
 *                         {@code direct-invoke}; {@link io.tocsin.api.Actor}), next to the typed
 *                         {@code acknowledgedBy}; null when not recorded (PagerDuty, the sweep, items before issue 23)
 * @param resolvedActor    likewise for the resolve
 */
public record Incident(String id, Alert alert, IncidentStatus status, Instant createdAt, long duplicateCount,
        Instant lastSeenAt, List<OutboxEntry> outbox, int escalationLevel, Instant nextEscalationAt,
        SuppressionReason suppressedReason, String maintenanceWindowId, Instant acknowledgedAt, String acknowledgedBy,
        Instant resolvedAt, String resolvedBy, String resolutionNotes, List<TimelineEvent> timeline,
        long outboxVersion, Instant repeatDueAt, long timelineDropped, long outboxDropped, String policy,
        Instant policyStart, String acknowledgedActor, String resolvedActor) {

    public Incident {
        outbox = List.copyOf(outbox);
        timeline = List.copyOf(timeline);
    }

    /** An incident with an escalation policy whose acknowledgment and resolve carry no authenticated caller. */
    public Incident(String id, Alert alert, IncidentStatus status, Instant createdAt, long duplicateCount,
            Instant lastSeenAt, List<OutboxEntry> outbox, int escalationLevel, Instant nextEscalationAt,
            SuppressionReason suppressedReason, String maintenanceWindowId, Instant acknowledgedAt,
            String acknowledgedBy, Instant resolvedAt, String resolvedBy, String resolutionNotes,
            List<TimelineEvent> timeline, long outboxVersion, Instant repeatDueAt, long timelineDropped,
            long outboxDropped, String policy, Instant policyStart) {
        this(id, alert, status, createdAt, duplicateCount, lastSeenAt, outbox, escalationLevel, nextEscalationAt,
                suppressedReason, maintenanceWindowId, acknowledgedAt, acknowledgedBy, resolvedAt, resolvedBy,
                resolutionNotes, timeline, outboxVersion, repeatDueAt, timelineDropped, outboxDropped, policy,
                policyStart, null, null);
    }

    /** An incident without an escalation policy or recorded callers. */
    public Incident(String id, Alert alert, IncidentStatus status, Instant createdAt, long duplicateCount,
            Instant lastSeenAt, List<OutboxEntry> outbox, int escalationLevel, Instant nextEscalationAt,
            SuppressionReason suppressedReason, String maintenanceWindowId, Instant acknowledgedAt,
            String acknowledgedBy, Instant resolvedAt, String resolvedBy, String resolutionNotes,
            List<TimelineEvent> timeline, long outboxVersion, Instant repeatDueAt, long timelineDropped,
            long outboxDropped) {
        this(id, alert, status, createdAt, duplicateCount, lastSeenAt, outbox, escalationLevel, nextEscalationAt,
                suppressedReason, maintenanceWindowId, acknowledgedAt, acknowledgedBy, resolvedAt, resolvedBy,
                resolutionNotes, timeline, outboxVersion, repeatDueAt, timelineDropped, outboxDropped, null, null, null,
                null);
    }

    /** An incident nothing was ever dropped from (see {@link ItemBudget}). */
    public Incident(String id, Alert alert, IncidentStatus status, Instant createdAt, long duplicateCount,
            Instant lastSeenAt, List<OutboxEntry> outbox, int escalationLevel, Instant nextEscalationAt,
            SuppressionReason suppressedReason, String maintenanceWindowId, Instant acknowledgedAt,
            String acknowledgedBy, Instant resolvedAt, String resolvedBy, String resolutionNotes,
            List<TimelineEvent> timeline, long outboxVersion, Instant repeatDueAt) {
        this(id, alert, status, createdAt, duplicateCount, lastSeenAt, outbox, escalationLevel, nextEscalationAt,
                suppressedReason, maintenanceWindowId, acknowledgedAt, acknowledgedBy, resolvedAt, resolvedBy,
                resolutionNotes, timeline, outboxVersion, repeatDueAt, 0, 0);
    }

    /** The PagerDuty events of this incident by action: the latest entry of each (how it went, for people). */
    public Map<PagerDutyAction, Delivery> deliveries() {
        Map<PagerDutyAction, Delivery> deliveries = new EnumMap<>(PagerDutyAction.class);
        for (OutboxEntry entry : outbox) {
            if (entry.kind() == EffectKind.PAGERDUTY_EVENT) {
                deliveries.put(entry.action(), entry.asDelivery());
            }
        }
        return deliveries;
    }

    /** The trigger's delivery: how the page itself went. */
    public Delivery delivery() {
        return deliveries().get(PagerDutyAction.TRIGGER);
    }

    /** The entry with this id and its position in the outbox. */
    public Optional<Integer> positionOf(String entryId) {
        for (int i = 0; i < outbox.size(); i++) {
            if (outbox.get(i).id().equals(entryId)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Whether any effect is still to be sent. */
    public boolean hasPendingEffects() {
        return outbox.stream().anyMatch(OutboxEntry::isPending);
    }

    /** Whether this item was written in the format before the outbox (read, and upgraded on its next change). */
    public boolean isPreviousFormat() {
        return outboxVersion == 0;
    }

    /** Time from creation to acknowledgment (or to resolution, for incidents resolved without one). */
    public Duration timeToAcknowledge() {
        Instant first = acknowledgedAt != null ? acknowledgedAt : resolvedAt;
        return first == null ? null : Duration.between(createdAt, first);
    }

    public Duration timeToResolve() {
        return resolvedAt == null ? null : Duration.between(createdAt, resolvedAt);
    }

    /** This incident with the duplicates its dedup claim counted folded in (see {@link DuplicateFold}). */
    public Incident withDuplicates(long count, Instant seen) {
        return new Incident(id, alert, status, createdAt, Math.max(duplicateCount, count),
                seen != null && (lastSeenAt == null || seen.isAfter(lastSeenAt)) ? seen : lastSeenAt, outbox,
                escalationLevel, nextEscalationAt, suppressedReason, maintenanceWindowId, acknowledgedAt,
                acknowledgedBy, resolvedAt, resolvedBy, resolutionNotes, timeline, outboxVersion, repeatDueAt,
                timelineDropped, outboxDropped, policy, policyStart, acknowledgedActor, resolvedActor);
    }
}
