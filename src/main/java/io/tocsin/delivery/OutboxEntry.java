package io.tocsin.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One outward effect of an incident, written pending in the same conditional write as the state change that causes
 * it, then sent, then its outcome recorded with a condition on the entry's state (never over a newer change). The
 * incident's outbox is a list: an entry's position in it (from 1) is its sequence number, and effects on PagerDuty go
 * out in that order.
 *
 * @param id         unique within the incident; outcome writes check it, so a stale position never hits another entry
 * @param action     the Events API action, for {@link EffectKind#PAGERDUTY_EVENT}; null otherwise
 * @param level      the escalation level, for escalations; 0 otherwise
 * @param attempts   attempts made so far
 * @param lastStatus the last HTTP status, 0 when none was received
 * @param errors     what the receiver or the network said, newest last
 * @param dueAt      when a pending entry may be (re)tried
 * @param leaseUntil while in the future, the invocation that wrote or claimed the entry is sending it and nobody else
 *                   may; null when not leased. Counted from that claim's own time.
 * @param createdAt  when the state change that caused it happened
 * @param doneAt     when it reached a final state; null while pending
 * @param to         the recipient, for kinds sent to one person (an on-call email's address); null otherwise
 */
public record OutboxEntry(String id, EffectKind kind, PagerDutyAction action, int level, DeliveryState state,
        int attempts, int lastStatus, List<String> errors, Instant dueAt, Instant leaseUntil, Instant createdAt,
        Instant doneAt, String to) {

    /** The id of the trigger written with a new incident (the first entry of its outbox). */
    public static final String INITIAL_TRIGGER_ID = "trigger-1";
    /** Errors kept per entry, newest last (bounds the item). */
    public static final int MAX_KEPT_ERRORS = 10;

    /** An entry without a recipient (every kind but those sent to one person). */
    public OutboxEntry(String id, EffectKind kind, PagerDutyAction action, int level, DeliveryState state,
            int attempts, int lastStatus, List<String> errors, Instant dueAt, Instant leaseUntil, Instant createdAt,
            Instant doneAt) {
        this(id, kind, action, level, state, attempts, lastStatus, errors, dueAt, leaseUntil, createdAt, doneAt, null);
    }

    public OutboxEntry {
        errors = List.copyOf(errors.size() > MAX_KEPT_ERRORS
                ? errors.subList(errors.size() - MAX_KEPT_ERRORS, errors.size()) : errors);
    }

    /** A new pending entry, due at once and leased to the writer until {@code leaseUntil} (null: not leased). */
    public static OutboxEntry pending(EffectKind kind, PagerDutyAction action, int level, Instant at,
            Instant leaseUntil) {
        return new OutboxEntry(kind.wire() + "-" + UUID.randomUUID().toString().substring(0, 8), kind, action, level,
                DeliveryState.PENDING, 0, 0, List.of(), at, leaseUntil, at, null);
    }

    public OutboxEntry withId(String newId) {
        return new OutboxEntry(newId, kind, action, level, state, attempts, lastStatus, errors, dueAt, leaseUntil,
                createdAt, doneAt, to);
    }

    /** This entry addressed to {@code recipient}. */
    public OutboxEntry addressedTo(String recipient) {
        return new OutboxEntry(id, kind, action, level, state, attempts, lastStatus, errors, dueAt, leaseUntil,
                createdAt, doneAt, recipient);
    }

    public OutboxEntry leased(Instant until) {
        return new OutboxEntry(id, kind, action, level, state, attempts, lastStatus, errors, dueAt, until, createdAt,
                doneAt, to);
    }

    /** The entry after one more attempt ended in {@code newState}. */
    public OutboxEntry attempted(DeliveryState newState, int status, List<String> newErrors, Instant nextDue,
            Instant at) {
        List<String> all = new java.util.ArrayList<>(errors);
        all.addAll(newErrors);
        return new OutboxEntry(id, kind, action, level, newState, attempts + 1, status, all,
                newState == DeliveryState.PENDING ? nextDue : dueAt, null, createdAt,
                newState.isFinal() ? at : null, to);
    }

    /** The entry closed without an attempt (superseded, disabled), with the reason. */
    public OutboxEntry closed(DeliveryState newState, String reason, Instant at) {
        List<String> all = new java.util.ArrayList<>(errors);
        if (reason != null) {
            all.add(reason);
        }
        return new OutboxEntry(id, kind, action, level, newState, attempts, lastStatus, all, dueAt, null, createdAt,
                at, to);
    }

    public boolean isPending() {
        return state == DeliveryState.PENDING;
    }

    /** Leased to someone at {@code now}. */
    public boolean leasedAt(Instant now) {
        return leaseUntil != null && leaseUntil.isAfter(now);
    }

    /** When the sweep should next look at this entry: when its lease runs out, or when it is due. */
    public Instant nextLook() {
        return leaseUntil != null && leaseUntil.isAfter(dueAt) ? leaseUntil : dueAt;
    }

    /** The per-action view of a PagerDuty event kept by the read functions. */
    public Delivery asDelivery() {
        return new Delivery(state, attempts, lastStatus, errors, state == DeliveryState.PENDING ? dueAt : null,
                state == DeliveryState.PENDING);
    }

    /** What this effect is, for people: "PagerDuty trigger", "escalation to level 2 by email", … */
    public String describe() {
        return kind.describe(action, level);
    }
}
