package io.tocsin.incident;

import static io.tocsin.incident.IncidentItems.*;
import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Alert;
import io.tocsin.config.Settings;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import io.tocsin.store.Update;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Incident items ({@code pk=INC#<id>, sk=META}). Every change is one conditional write that also appends the change to
 * the incident's timeline, so state and timeline can never disagree (DynamoDB transactions are not available in
 * dynalite, and are not needed).
 */
@Singleton
public class IncidentStore {

    public static final String SK_META = "META";
    static final String OPEN_PARTITION = "OPEN";
    static final String ESCALATION_PARTITION = "ESC";
    static final String DELIVERY_PARTITION = "DELIVERY";

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public IncidentStore(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    public static String partitionKey(String incidentId) {
        return "INC#" + incidentId;
    }

    private static Map<String, AttributeValue> key(String id) {
        return Attr.key(partitionKey(id), SK_META);
    }

    /**
     * Writes the incident opened by {@code alert} with the outcome of its trigger. One UpdateItem, applied only if the
     * incident was not recorded yet (a recovering retry may race the original); it keeps any duplicate count that
     * duplicates recorded before it.
     *
     * @return false when the incident had already been recorded
     */
    public boolean recordTriggered(String id, Alert alert, byte[] storedAlert, Delivery delivery, Instant createdAt) {
        Update update = new Update();
        common(id, alert, storedAlert, createdAt).forEach(update::set);
        update.set(STATUS, s(IncidentStatus.TRIGGERED.wire()));
        update.set(PAGERDUTY, AttributeValue.fromM(Map.of(PagerDutyAction.TRIGGER.wire(), IncidentItems.delivery(delivery))));
        deliveryIndex(update, id, delivery);
        update.set(TableSchema.GSI_OPEN_PK, s(OPEN_PARTITION));
        update.set(TableSchema.GSI_OPEN_SK, s(Instants.format(createdAt) + "#" + id));
        update.set(ESCALATION_LEVEL, n(1));
        if (settings.escalatingSeverities().contains(alert.severity())) {
            Instant due = createdAt.plus(settings.escalationTimeout());
            update.set(NEXT_ESCALATION_MS, n(due.toEpochMilli()));
            update.set(TableSchema.GSI_ESCALATION_PK, s(ESCALATION_PARTITION));
            update.set(TableSchema.GSI_ESCALATION_SK, s(Instants.format(due) + "#" + id));
        }
        update.set(TIMELINE, events(List.of(
                new TimelineEvent(createdAt, TimelineEvent.Type.TRIGGERED, alert.source(),
                        alert.severity().wire() + ": " + alert.title()),
                deliveryEvent(PagerDutyAction.TRIGGER, delivery, createdAt))));
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

    /** Whether the incident a duplicate belongs to had been recorded when the duplicate was counted. */
    public enum DuplicateRecorded { RECORDED, NOT_YET_RECORDED, SUPERSEDED }

    /**
     * Sets the incident's duplicate count and last-seen time, only ever upwards (counts arrive out of order under
     * concurrency). Creates a bare item if the incident itself is not written yet; {@link #recordTriggered} fills it.
     * The timeline shows duplicates as this count rather than one entry each, so a storm cannot outgrow the item.
     */
    public DuplicateRecorded recordDuplicate(String id, long duplicateCount, Instant seenAt) {
        Update update = new Update().set(DUPLICATE_COUNT, n(duplicateCount)).set(LAST_SEEN_MS, n(seenAt.toEpochMilli()));
        update.condition("attribute_not_exists(" + update.name(DUPLICATE_COUNT) + ") OR " + update.name(DUPLICATE_COUNT)
                + " < " + update.value(n(duplicateCount)));
        try {
            var response = dynamo.updateItem(update.request(settings.tableName(), key(id), ReturnValue.ALL_NEW));
            return response.attributes().containsKey(CREATED_MS) ? DuplicateRecorded.RECORDED
                    : DuplicateRecorded.NOT_YET_RECORDED;
        } catch (ConditionalCheckFailedException higherCountAlreadyStored) {
            return DuplicateRecorded.SUPERSEDED;
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
        item.put(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.SUPPRESSED, alert.source(),
                reason.wire() + (windowId == null ? "" : " (window " + windowId + ")")))));
        dynamo.putItem(PutItemRequest.builder()
                .tableName(settings.tableName())
                .item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK))
                .build());
    }

    /** A strongly consistent read; empty for unknown ids and for incidents not recorded yet. */
    public Optional<Incident> find(String id) {
        var item = dynamo.getItem(GetItemRequest.builder()
                .tableName(settings.tableName())
                .key(key(id))
                .consistentRead(true)
                .build()).item();
        if (item == null || !item.containsKey(CREATED_MS)) {
            return Optional.empty();
        }
        return Optional.of(fromItem(item));
    }

    /** The result of asking for a state change. */
    public sealed interface Transition {
        /** The change was made; {@code incident} is the state after it. */
        record Applied(Incident incident) implements Transition {
        }

        /** The incident already was in the asked-for state: nothing changed. */
        record AlreadyDone(Incident incident) implements Transition {
        }

        /** The change is not allowed from the incident's current state: nothing changed. */
        record Conflict(Incident incident) implements Transition {
        }

        record NotFound() implements Transition {
        }
    }

    /** triggered → acknowledged. Stops escalation. */
    public Transition acknowledge(String id, String by, String detail, Instant at) {
        Update update = new Update()
                .set(STATUS, s(IncidentStatus.ACKNOWLEDGED.wire()))
                .set(ACKNOWLEDGED_MS, n(at.toEpochMilli()))
                .set(ACKNOWLEDGED_BY, s(by))
                .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.ACKNOWLEDGED, by, detail))))
                .remove(NEXT_ESCALATION_MS).remove(TableSchema.GSI_ESCALATION_PK).remove(TableSchema.GSI_ESCALATION_SK);
        update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())));
        return transition(id, update, IncidentStatus.ACKNOWLEDGED);
    }

    /** triggered or acknowledged → resolved. Leaves the open and escalation indexes. */
    public Transition resolve(String id, String by, String notes, Instant at) {
        Update update = new Update()
                .set(STATUS, s(IncidentStatus.RESOLVED.wire()))
                .set(RESOLVED_MS, n(at.toEpochMilli()))
                .set(RESOLVED_BY, s(by))
                .set(RESOLUTION_NOTES, s(notes))
                .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.RESOLVED, by, notes))))
                .remove(NEXT_ESCALATION_MS).remove(TableSchema.GSI_ESCALATION_PK).remove(TableSchema.GSI_ESCALATION_SK)
                .remove(TableSchema.GSI_OPEN_PK).remove(TableSchema.GSI_OPEN_SK);
        String status = update.name(STATUS);
        update.condition(status + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())) + " OR " + status + " = "
                + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())));
        return transition(id, update, IncidentStatus.RESOLVED);
    }

    private Transition transition(String id, Update update, IncidentStatus target) {
        try {
            var response = dynamo.updateItem(update.request(settings.tableName(), key(id), ReturnValue.ALL_NEW));
            return new Transition.Applied(fromItem(response.attributes()));
        } catch (ConditionalCheckFailedException notAllowed) {
            Optional<Incident> current = find(id);
            if (current.isEmpty()) {
                return new Transition.NotFound();
            }
            return current.get().status() == target ? new Transition.AlreadyDone(current.get())
                    : new Transition.Conflict(current.get());
        }
    }

    /**
     * Records how a PagerDuty event of the incident went, with a timeline entry. A pending delivery is (re)indexed
     * for the sweep at its next attempt; a finished one leaves the index unless {@code stillPendingAt} says another
     * event of the incident is waiting.
     */
    public Incident recordDelivery(String id, PagerDutyAction action, Delivery delivery, Instant at,
            Instant stillPendingAt) {
        Update update = new Update().setIn(PAGERDUTY, action.wire(), IncidentItems.delivery(delivery))
                .append(TIMELINE, events(List.of(deliveryEvent(action, delivery, at))));
        if (delivery.state() == DeliveryState.PENDING) {
            deliveryIndex(update, id, delivery);
        } else if (stillPendingAt != null) {
            update.set(TableSchema.GSI_DELIVERY_PK, s(DELIVERY_PARTITION));
            update.set(TableSchema.GSI_DELIVERY_SK, s(Instants.format(stillPendingAt) + "#" + id));
        } else {
            update.remove(TableSchema.GSI_DELIVERY_PK).remove(TableSchema.GSI_DELIVERY_SK);
        }
        update.condition("attribute_exists(" + update.name(CREATED_MS) + ")");
        var response = dynamo.updateItem(update.request(settings.tableName(), key(id), ReturnValue.ALL_NEW));
        return fromItem(response.attributes());
    }

    /**
     * The open incidents with this dedup key (normally one), through the {@code open} index filtered on the key: the
     * cost is one read of the open incidents, which are few; the dedup claim cannot be used, as it expires with its
     * window while an alarm may stay in ALARM for days.
     */
    public List<Incident> openWithDedupKey(String dedupKey) {
        return queryOpen(openQuery()
                .filterExpression("#key = :key")
                .expressionAttributeNames(Map.of("#pk", TableSchema.GSI_OPEN_PK, "#key", DEDUP_KEY))
                .expressionAttributeValues(Map.of(":pk", s(OPEN_PARTITION), ":key", s(dedupKey))));
    }

    /**
     * Every open (triggered or acknowledged) incident, oldest first, through the {@code open} index: the dashboard's
     * and the daily summary's "unresolved" list. Open incidents are few; this reads them all, page by page.
     */
    public List<Incident> open() {
        return queryOpen(openQuery()
                .expressionAttributeNames(Map.of("#pk", TableSchema.GSI_OPEN_PK))
                .expressionAttributeValues(Map.of(":pk", s(OPEN_PARTITION))));
    }

    private software.amazon.awssdk.services.dynamodb.model.QueryRequest.Builder openQuery() {
        return software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                .tableName(settings.tableName()).indexName(TableSchema.GSI_OPEN)
                .keyConditionExpression("#pk = :pk");
    }

    private List<Incident> queryOpen(software.amazon.awssdk.services.dynamodb.model.QueryRequest.Builder request) {
        return dynamo.queryPaginator(request.build()).items().stream().map(IncidentItems::fromItem).toList();
    }

    /** Incidents with a PagerDuty event due for (re)delivery at {@code now}, oldest due first. */
    public List<Incident> dueForDelivery(Instant now, int limit) {
        return due(TableSchema.GSI_DELIVERY, TableSchema.GSI_DELIVERY_PK, TableSchema.GSI_DELIVERY_SK,
                DELIVERY_PARTITION, now, limit);
    }

    /** Unacknowledged incidents whose next escalation is due at {@code now}, oldest due first. */
    public List<Incident> dueForEscalation(Instant now, int limit) {
        return due(TableSchema.GSI_ESCALATION, TableSchema.GSI_ESCALATION_PK, TableSchema.GSI_ESCALATION_SK,
                ESCALATION_PARTITION, now, limit);
    }

    private List<Incident> due(String index, String hashKey, String rangeKey, String partition, Instant now,
            int limit) {
        var request = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                .tableName(settings.tableName()).indexName(index)
                .keyConditionExpression("#pk = :pk AND #sk <= :now")
                .expressionAttributeNames(Map.of("#pk", hashKey, "#sk", rangeKey))
                .expressionAttributeValues(Map.of(":pk", s(partition), ":now", s(Instants.format(now) + "#~")))
                .limit(Math.min(limit, 100))
                .build();
        // pages are fetched lazily: no more than the limit needs
        return dynamo.queryPaginator(request).items().stream().limit(limit).map(IncidentItems::fromItem).toList();
    }

    /**
     * Takes a due delivery for this sweep: moves its next attempt to {@code leaseUntil} if it still is {@code seenDue}
     * (an overlapping sweep that read the same item loses here and skips it).
     */
    public Optional<Incident> claimDelivery(String id, PagerDutyAction action, Instant seenDue, Instant leaseUntil) {
        Update update = new Update()
                .setPath(n(leaseUntil.toEpochMilli()), PAGERDUTY, action.wire(), "next_ms")
                .set(TableSchema.GSI_DELIVERY_SK, s(Instants.format(leaseUntil) + "#" + id));
        update.condition(update.path(PAGERDUTY, action.wire(), "next_ms") + " = " + update.value(n(seenDue.toEpochMilli()))
                + " AND " + update.path(PAGERDUTY, action.wire(), "state") + " = "
                + update.value(s(DeliveryState.PENDING.wire())));
        try {
            return Optional.of(fromItem(dynamo.updateItem(update.request(settings.tableName(), key(id),
                    ReturnValue.ALL_NEW)).attributes()));
        } catch (ConditionalCheckFailedException takenOrChanged) {
            return Optional.empty();
        }
    }

    /**
     * Raises an unacknowledged incident from {@code fromLevel} to the next level, once: an overlapping or retried
     * sweep finds the level already raised and changes nothing.
     *
     * @param nextDue when the level after this one is due, or null when this is the last level
     */
    public Optional<Incident> escalate(String id, int fromLevel, Instant nextDue, String detail, Instant at) {
        int level = fromLevel + 1;
        Update update = new Update().set(ESCALATION_LEVEL, n(level))
                .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.ESCALATED, "tocsin",
                        "level " + level + (detail == null ? "" : ": " + detail)))));
        if (nextDue != null) {
            update.set(NEXT_ESCALATION_MS, n(nextDue.toEpochMilli()));
            update.set(TableSchema.GSI_ESCALATION_SK, s(Instants.format(nextDue) + "#" + id));
        } else {
            update.remove(NEXT_ESCALATION_MS).remove(TableSchema.GSI_ESCALATION_PK).remove(TableSchema.GSI_ESCALATION_SK);
        }
        update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())) + " AND "
                + update.name(ESCALATION_LEVEL) + " = " + update.value(n(fromLevel)));
        try {
            return Optional.of(fromItem(dynamo.updateItem(update.request(settings.tableName(), key(id),
                    ReturnValue.ALL_NEW)).attributes()));
        } catch (ConditionalCheckFailedException alreadyRaisedOrAnswered) {
            return Optional.empty();
        }
    }

    /** Appends a note to the timeline (the outcome of an escalation's action, a fallback email). */
    public void note(String id, TimelineEvent event) {
        Update update = new Update().append(TIMELINE, events(List.of(event)));
        update.condition("attribute_exists(" + update.name(CREATED_MS) + ")");
        dynamo.updateItem(update.request(settings.tableName(), key(id), ReturnValue.NONE));
    }

    static TimelineEvent deliveryEvent(PagerDutyAction action, Delivery delivery, Instant at) {
        String what = "PagerDuty " + action.wire();
        return switch (delivery.state()) {
            case DELIVERED -> new TimelineEvent(at, TimelineEvent.Type.DELIVERED, "tocsin",
                    what + " accepted after " + delivery.attempts() + " attempt(s)");
            case FAILED -> new TimelineEvent(at, TimelineEvent.Type.DELIVERY_FAILED, "tocsin",
                    what + " refused: " + String.join("; ", delivery.errors()));
            case PENDING -> new TimelineEvent(at, TimelineEvent.Type.DELIVERY_PENDING, "tocsin",
                    what + " pending until " + delivery.nextAttempt()
                            + (delivery.errors().isEmpty() ? "" : ": " + String.join("; ", delivery.errors())));
            case DISABLED -> new TimelineEvent(at, TimelineEvent.Type.DELIVERY_DISABLED, "tocsin",
                    what + " not sent: PAGERDUTY_ENABLED is false");
        };
    }

    private static void deliveryIndex(Update update, String id, Delivery delivery) {
        if (delivery.state() == DeliveryState.PENDING && delivery.nextAttempt() != null) {
            update.set(TableSchema.GSI_DELIVERY_PK, s(DELIVERY_PARTITION));
            update.set(TableSchema.GSI_DELIVERY_SK, s(Instants.format(delivery.nextAttempt()) + "#" + id));
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
