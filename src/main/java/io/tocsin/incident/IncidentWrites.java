package io.tocsin.incident;

import static io.tocsin.incident.IncidentItems.*;
import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Alert;
import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.notify.Texts;
import io.tocsin.store.TableSchema;
import io.tocsin.store.Update;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The state changes of incidents. Each is one conditional UpdateItem that also appends the change to the timeline and
 * the outward effects it causes to the outbox (pending), so state, timeline and outbox can never disagree (DynamoDB
 * transactions are not available in dynalite, and are not needed). An item in the format before the outbox is
 * upgraded by {@link OutboxStore#upgrade} on its first change.
 */
@Singleton
public class IncidentWrites {

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final IncidentStore reads;
    private final OutboxStore outbox;

    @Inject
    public IncidentWrites(DynamoDbClient dynamo, Settings settings, IncidentStore reads, OutboxStore outbox) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.reads = reads;
        this.outbox = outbox;
    }

    /**
     * Writes the incident opened by {@code alert}, with its outbox (the trigger first, as sent or still pending). One
     * UpdateItem, applied only if the incident was not recorded yet (a recovering retry may race the original); it
     * keeps any duplicate count that duplicates recorded before it.
     *
     * @return false when the incident had already been recorded
     */
    public boolean recordTriggered(String id, Alert alert, byte[] storedAlert, List<OutboxEntry> effects,
            Instant createdAt) {
        Update update = new Update();
        common(id, alert, storedAlert, createdAt).forEach(update::set);
        update.set(STATUS, s(IncidentStatus.TRIGGERED.wire()));
        update.set(OUTBOX, entries(effects));
        update.set(OUTBOX_VERSION, n(1));
        update.set(FORMAT_ATTRIBUTE, n(FORMAT));
        OutboxStore.deliveryIndex(update, id, effects);
        update.set(TableSchema.GSI_OPEN_PK, s(IncidentStore.OPEN_PARTITION));
        update.set(TableSchema.GSI_OPEN_SK, s(Instants.format(createdAt) + "#" + id));
        update.set(ESCALATION_LEVEL, n(1));
        update.set(REPEAT_DUE_MS, n(createdAt.plus(settings.dedupWindow()).toEpochMilli()));
        if (settings.escalatingSeverities().contains(alert.severity())) {
            Instant due = createdAt.plus(settings.escalationTimeout());
            update.set(NEXT_ESCALATION_MS, n(due.toEpochMilli()));
            update.set(TableSchema.GSI_ESCALATION_PK, s(IncidentStore.ESCALATION_PARTITION));
            update.set(TableSchema.GSI_ESCALATION_SK, s(Instants.format(due) + "#" + id));
        }
        List<TimelineEvent> events = new ArrayList<>();
        events.add(new TimelineEvent(createdAt, TimelineEvent.Type.TRIGGERED, alert.source(),
                alert.severity().wire() + ": " + alert.title()));
        effects.stream().filter(e -> e.attempts() > 0 || e.state() != DeliveryState.PENDING)
                .forEach(e -> events.add(OutboxStore.outcomeEvent(e, createdAt)));
        update.set(TIMELINE, events(events));
        update.setIfNotExists(DUPLICATE_COUNT, n(0));
        update.setIfNotExists(LAST_SEEN_MS, n(createdAt.toEpochMilli()));
        update.condition("attribute_not_exists(" + update.name(CREATED_MS) + ")");
        try {
            dynamo.updateItem(update.request(settings.tableName(), key(id), ReturnValue.NONE));
            return true;
        } catch (ConditionalCheckFailedException alreadyRecorded) {
            return false;
        }
    }

    /**
     * Whether the incident a duplicate belongs to had been recorded when the duplicate was counted: recorded (and
     * open), not yet recorded, already counted higher (a concurrent duplicate), or closed (resolved: the alert is a
     * recurrence and opens a new incident, it is not counted).
     */
    public enum DuplicateRecorded { RECORDED, NOT_YET_RECORDED, SUPERSEDED, CLOSED }

    /**
     * Sets the incident's duplicate count and last-seen time, only ever upwards (counts arrive out of order under
     * concurrency). Creates a bare item if the incident itself is not written yet; {@link #recordTriggered} fills it.
     * The timeline shows duplicates as this count rather than one entry each, so a storm cannot outgrow the item.
     */
    public DuplicateRecorded recordDuplicate(String id, long duplicateCount, Instant seenAt) {
        return countDuplicate(id, duplicateCount, seenAt).recorded();
    }

    /** How counting a duplicate went, with the incident as it stands when it was recorded (else null). */
    public record DuplicateCounted(DuplicateRecorded recorded, Incident incident) {
    }

    /** As {@link #recordDuplicate}, also returning the incident read in the same request. */
    public DuplicateCounted countDuplicate(String id, long duplicateCount, Instant seenAt) {
        Update update = new Update().set(DUPLICATE_COUNT, n(duplicateCount)).set(LAST_SEEN_MS, n(seenAt.toEpochMilli()));
        String status = update.name(STATUS);
        update.condition("(attribute_not_exists(" + update.name(DUPLICATE_COUNT) + ") OR " + update.name(DUPLICATE_COUNT)
                + " < " + update.value(n(duplicateCount)) + ") AND (attribute_not_exists(" + status + ") OR "
                + status + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())) + " OR " + status + " = "
                + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())) + ")");
        try {
            var response = dynamo.updateItem(update.request(settings.tableName(), key(id), ReturnValue.ALL_NEW));
            return response.attributes().containsKey(CREATED_MS)
                    ? new DuplicateCounted(DuplicateRecorded.RECORDED, fromItem(response.attributes()))
                    : new DuplicateCounted(DuplicateRecorded.NOT_YET_RECORDED, null);
        } catch (ConditionalCheckFailedException higherCountOrClosed) {
            Optional<Incident> current = reads.find(id);
            boolean closed = current.isPresent() && current.get().status() != IncidentStatus.TRIGGERED
                    && current.get().status() != IncidentStatus.ACKNOWLEDGED;
            return closed ? new DuplicateCounted(DuplicateRecorded.CLOSED, current.get())
                    : new DuplicateCounted(DuplicateRecorded.SUPERSEDED, null);
        }
    }

    /**
     * Forwards a repeat of the incident's alert to PagerDuty (a trigger under its dedup_key, which PagerDuty adds to
     * the open alert without a new page) once per ALERT_DEDUP_WINDOW: only the writer that still sees the repeat due at
     * {@code seenDue} wins, so concurrent duplicates forward it once.
     */
    public Optional<Incident> forwardRepeat(Incident incident, Instant seenDue, Instant at, List<OutboxEntry> effects) {
        if (incident.outbox().stream().anyMatch(e -> e.kind() == io.tocsin.delivery.EffectKind.PAGERDUTY_EVENT
                && e.action() == io.tocsin.delivery.PagerDutyAction.TRIGGER && e.isPending())) {
            // an earlier trigger is still on its way and tells PagerDuty the same; forwarding again only grows the
            // outbox (ItemBudget): the next repeat after that trigger is delivered is forwarded
            return Optional.empty();
        }
        Update update = new Update()
                .set(REPEAT_DUE_MS, n(at.plus(settings.dedupWindow()).toEpochMilli()))
                .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.REPEAT_FORWARDED,
                        incident.alert().source(), "repeat forwarded to PagerDuty (" + incident.duplicateCount()
                                + " repeat(s) so far)"))));
        OutboxStore.appendEffects(update, incident.id(), effects);
        String status = update.name(STATUS);
        String due = update.name(REPEAT_DUE_MS);
        update.condition("(" + status + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())) + " OR " + status
                + " = " + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())) + ") AND "
                + (incident.repeatDueAt() == null ? "attribute_not_exists(" + due + ")"
                        : due + " = " + update.value(n(seenDue.toEpochMilli())))
                + " AND " + OutboxStore.currentFormat(update));
        try {
            return Optional.of(outbox.withinBudget(fromItem(dynamo.updateItem(update.request(settings.tableName(),
                    key(incident.id()), ReturnValue.ALL_NEW)).attributes())));
        } catch (ConditionalCheckFailedException forwardedByAnotherOrClosed) {
            return Optional.empty();
        }
    }

    /** Records an alert that was not paged (a maintenance window): one PutItem, visible in history and metrics. */
    public void recordSuppressed(String id, Alert alert, byte[] storedAlert, SuppressionReason reason, String windowId,
            Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(key(id));
        item.putAll(common(id, alert, storedAlert, at));
        item.put(STATUS, s(IncidentStatus.SUPPRESSED.wire()));
        item.put(SUPPRESSED_REASON, s(reason.wire()));
        if (windowId != null) {
            item.put(MAINTENANCE_WINDOW, s(windowId));
        }
        item.put(DUPLICATE_COUNT, n(0));
        item.put(LAST_SEEN_MS, n(at.toEpochMilli()));
        item.put(ESCALATION_LEVEL, n(0));
        item.put(OUTBOX, entries(List.of()));
        item.put(OUTBOX_VERSION, n(1));
        item.put(FORMAT_ATTRIBUTE, n(FORMAT));
        item.put(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.SUPPRESSED, alert.source(),
                reason.wire() + (windowId == null ? "" : " (window " + windowId + ")")))));
        dynamo.putItem(PutItemRequest.builder()
                .tableName(settings.tableName())
                .item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK))
                .build());
    }

    /** triggered → acknowledged, with the effects it causes. Stops escalation. */
    public Transition acknowledge(String id, String by, String detail, Instant at, List<OutboxEntry> effects) {
        return transition(id, IncidentStatus.ACKNOWLEDGED, () -> {
            Update update = new Update()
                    .set(STATUS, s(IncidentStatus.ACKNOWLEDGED.wire()))
                    .set(ACKNOWLEDGED_MS, n(at.toEpochMilli()))
                    .set(ACKNOWLEDGED_BY, s(Texts.cut(by, IncidentLifecycle.MAX_ACTOR_CHARS)))
                    .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.ACKNOWLEDGED, by,
                            detail))))
                    .remove(NEXT_ESCALATION_MS);
            var lookAt = settings.shortestAckTimeout().map(at::plus);
            if (lookAt.isPresent()) {
                // the sweep looks then, and knows the incident's severity: its own timeout, or none
                update.set(TableSchema.GSI_ESCALATION_PK, s(IncidentStore.ACK_PARTITION));
                update.set(TableSchema.GSI_ESCALATION_SK, s(Instants.format(lookAt.get()) + "#" + id));
            } else {
                update.remove(TableSchema.GSI_ESCALATION_PK).remove(TableSchema.GSI_ESCALATION_SK);
            }
            OutboxStore.appendEffects(update, id, effects);
            update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.TRIGGERED.wire()))
                    + " AND " + OutboxStore.currentFormat(update));
            return update;
        });
    }

    /** triggered or acknowledged → resolved, with the effects it causes. Leaves the open and escalation indexes. */
    public Transition resolve(String id, String by, String notes, Instant at, List<OutboxEntry> effects) {
        return transition(id, IncidentStatus.RESOLVED, () -> {
            Update update = new Update()
                    .set(STATUS, s(IncidentStatus.RESOLVED.wire()))
                    .set(RESOLVED_MS, n(at.toEpochMilli()))
                    .set(RESOLVED_BY, s(Texts.cut(by, IncidentLifecycle.MAX_ACTOR_CHARS)))
                    // the notes once (at most 10,000 characters, IncidentLifecycle): the timeline's event shows them
                    .set(RESOLUTION_NOTES, s(Texts.cut(notes, IncidentLifecycle.MAX_RESOLUTION_NOTES_CHARS)))
                    .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.RESOLVED, by, null))))
                    .remove(NEXT_ESCALATION_MS).remove(TableSchema.GSI_ESCALATION_PK)
                    .remove(TableSchema.GSI_ESCALATION_SK)
                    .remove(TableSchema.GSI_OPEN_PK).remove(TableSchema.GSI_OPEN_SK);
            OutboxStore.appendEffects(update, id, effects);
            String status = update.name(STATUS);
            update.condition("(" + status + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())) + " OR "
                    + status + " = " + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())) + ") AND "
                    + OutboxStore.currentFormat(update));
            return update;
        });
    }

    private Transition transition(String id, IncidentStatus target, java.util.function.Supplier<Update> change) {
        for (int round = 0;; round++) {
            try {
                var response = dynamo.updateItem(change.get().request(settings.tableName(), key(id),
                        ReturnValue.ALL_NEW));
                return new Transition.Applied(outbox.withinBudget(fromItem(response.attributes())));
            } catch (ConditionalCheckFailedException notAllowed) {
                Optional<Incident> current = reads.find(id);
                if (current.isEmpty()) {
                    return new Transition.NotFound();
                }
                if (current.get().isPreviousFormat() && round == 0) {
                    outbox.upgrade(current.get());
                    continue; // the condition failed on the format: try again on the upgraded item
                }
                return current.get().status() == target ? new Transition.AlreadyDone(current.get())
                        : new Transition.Conflict(current.get());
            }
        }
    }

    /**
     * Raises an unacknowledged incident from {@code fromLevel} to the next level, once, with the escalation's effects:
     * an overlapping or retried sweep finds the level already raised and changes nothing.
     *
     * @param nextDue when the level after this one is due, or null when this is the last level
     */
    public Optional<Incident> escalate(String id, int fromLevel, Instant nextDue, String detail, Instant at,
            List<OutboxEntry> effects) {
        for (int round = 0;; round++) {
            int level = fromLevel + 1;
            Update update = new Update().set(ESCALATION_LEVEL, n(level))
                    .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.ESCALATED, "tocsin",
                            "level " + level + (detail == null ? "" : ": " + detail)))));
            if (nextDue != null) {
                update.set(NEXT_ESCALATION_MS, n(nextDue.toEpochMilli()));
                update.set(TableSchema.GSI_ESCALATION_SK, s(Instants.format(nextDue) + "#" + id));
            } else {
                update.remove(NEXT_ESCALATION_MS).remove(TableSchema.GSI_ESCALATION_PK)
                        .remove(TableSchema.GSI_ESCALATION_SK);
            }
            OutboxStore.appendEffects(update, id, effects);
            update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())) + " AND "
                    + update.name(ESCALATION_LEVEL) + " = " + update.value(n(fromLevel)) + " AND "
                    + OutboxStore.currentFormat(update));
            try {
                return Optional.of(outbox.withinBudget(fromItem(dynamo.updateItem(update.request(
                        settings.tableName(), key(id), ReturnValue.ALL_NEW)).attributes())));
            } catch (ConditionalCheckFailedException alreadyRaisedOrAnswered) {
                Optional<Incident> current = reads.find(id);
                if (round == 0 && current.isPresent() && current.get().isPreviousFormat()) {
                    outbox.upgrade(current.get());
                    continue;
                }
                return Optional.empty();
            }
        }
    }

    /**
     * Moves an acknowledged incident's look in the acknowledgment-timeout partition to {@code nextLook}, or out of it
     * (null), if it is still the acknowledgment the sweep saw.
     */
    public void rescheduleAckTimeout(Incident incident, Instant nextLook) {
        Update update = new Update();
        if (nextLook == null) {
            update.remove(TableSchema.GSI_ESCALATION_PK).remove(TableSchema.GSI_ESCALATION_SK);
        } else {
            update.set(TableSchema.GSI_ESCALATION_SK, s(Instants.format(nextLook) + "#" + incident.id()));
        }
        update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())) + " AND "
                + update.name(ACKNOWLEDGED_MS) + " = " + update.value(n(incident.acknowledgedAt().toEpochMilli())));
        try {
            dynamo.updateItem(update.request(settings.tableName(), key(incident.id()), ReturnValue.NONE));
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            // resolved, or acknowledged again: nothing to move
        }
    }

    /**
     * acknowledged → triggered: the acknowledgment timed out. Once per acknowledgment (the condition pins the one the
     * sweep saw), with the effects that page again, and escalation restarting from level 1.
     */
    public Optional<Incident> ackTimedOut(Incident incident, Instant at, List<OutboxEntry> effects) {
        Update update = new Update()
                .set(STATUS, s(IncidentStatus.TRIGGERED.wire()))
                .set(ESCALATION_LEVEL, n(1))
                .remove(ACKNOWLEDGED_MS).remove(ACKNOWLEDGED_BY)
                .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.ACK_TIMED_OUT, "tocsin",
                        "acknowledged by " + incident.acknowledgedBy() + " at " + incident.acknowledgedAt()
                                + " but not resolved: paging again"))));
        if (settings.escalatingSeverities().contains(incident.alert().severity())) {
            Instant due = at.plus(settings.escalationTimeout());
            update.set(NEXT_ESCALATION_MS, n(due.toEpochMilli()));
            update.set(TableSchema.GSI_ESCALATION_PK, s(IncidentStore.ESCALATION_PARTITION));
            update.set(TableSchema.GSI_ESCALATION_SK, s(Instants.format(due) + "#" + incident.id()));
        } else {
            update.remove(TableSchema.GSI_ESCALATION_PK).remove(TableSchema.GSI_ESCALATION_SK);
        }
        OutboxStore.appendEffects(update, incident.id(), effects);
        update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())) + " AND "
                + update.name(ACKNOWLEDGED_MS) + " = " + update.value(n(incident.acknowledgedAt().toEpochMilli()))
                + " AND " + OutboxStore.currentFormat(update));
        try {
            return Optional.of(outbox.withinBudget(fromItem(dynamo.updateItem(update.request(settings.tableName(),
                    key(incident.id()), ReturnValue.ALL_NEW)).attributes())));
        } catch (ConditionalCheckFailedException resolvedOrTakenByAnotherSweep) {
            return Optional.empty();
        }
    }

    private static Map<String, AttributeValue> common(String id, Alert alert, byte[] storedAlert, Instant createdAt) {
        Map<String, AttributeValue> attributes = new java.util.LinkedHashMap<>();
        attributes.put(ID, s(id));
        attributes.put(SEVERITY, s(alert.severity().wire()));
        attributes.put(TITLE, s(alert.title()));
        attributes.put(SOURCE, s(alert.source()));
        attributes.put(DEDUP_KEY, s(alert.dedupKey()));
        if (alert.rule() != null) {
            attributes.put(RULE, s(alert.rule()));
        }
        attributes.put(CREATED_AT, s(Instants.format(createdAt)));
        attributes.put(CREATED_MS, n(createdAt.toEpochMilli()));
        attributes.put(ALERT, b(storedAlert));
        attributes.put(TableSchema.GSI_CREATED_PK, s("DAY#" + Instants.day(createdAt)));
        attributes.put(TableSchema.GSI_CREATED_SK, s(Instants.format(createdAt) + "#" + id));
        return attributes;
    }
}
