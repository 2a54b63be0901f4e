package io.tocsin.incident;

import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.Severity;
import io.tocsin.config.Settings;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Incident items ({@code pk=INC#<id>, sk=META}): every write is one conditional request. */
@Singleton
public class IncidentStore {

    public static final String SK_META = "META";

    static final String ID = "id";
    static final String SEVERITY = "severity";
    static final String TITLE = "title";
    static final String SOURCE = "source";
    static final String DEDUP_KEY = "dedup_key";
    static final String RULE = "rule";
    static final String STATUS = "status";
    static final String CREATED_AT = "created_at";
    static final String CREATED_MS = "created_ms";
    static final String ALERT = "alert";
    static final String DUPLICATE_COUNT = "duplicate_count";
    static final String LAST_SEEN_MS = "last_seen_ms";
    static final String DELIVERY_STATE = "delivery_state";
    static final String DELIVERY_ATTEMPTS = "delivery_attempts";
    static final String DELIVERY_LAST_STATUS = "delivery_last_status";
    static final String DELIVERY_ERRORS = "delivery_errors";
    static final String DELIVERY_NEXT_MS = "delivery_next_ms";
    static final String ESCALATION_LEVEL = "escalation_level";
    static final String NEXT_ESCALATION_MS = "next_escalation_ms";
    static final String SUPPRESSED_REASON = "suppressed_reason";
    static final String MAINTENANCE_WINDOW = "maintenance_window_id";

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

    /**
     * Writes the incident opened by {@code alert} with the outcome of its first delivery. One UpdateItem, applied only
     * if the incident was not recorded yet (a recovering retry may race the original); it keeps any duplicate count
     * that duplicates recorded before it.
     *
     * @return false when the incident had already been recorded
     */
    public boolean recordTriggered(String id, Alert alert, byte[] storedAlert, Delivery delivery, Instant createdAt) {
        Map<String, AttributeValue> set = new LinkedHashMap<>(common(id, alert, storedAlert, createdAt));
        set.put(STATUS, s(IncidentStatus.TRIGGERED.wire()));
        set.putAll(deliveryAttributes(id, delivery));
        set.put(TableSchema.GSI_OPEN_PK, s(OPEN_PARTITION));
        set.put(TableSchema.GSI_OPEN_SK, s(Instants.format(createdAt) + "#" + id));
        set.put(ESCALATION_LEVEL, n(1));
        if (alert.severity() == Severity.CRITICAL) {
            Instant due = createdAt.plus(settings.escalationTimeout());
            set.put(NEXT_ESCALATION_MS, n(due.toEpochMilli()));
            set.put(TableSchema.GSI_ESCALATION_PK, s(ESCALATION_PARTITION));
            set.put(TableSchema.GSI_ESCALATION_SK, s(Instants.format(due) + "#" + id));
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder update = new StringBuilder("SET ");
        int i = 0;
        for (var entry : set.entrySet()) {
            names.put("#a" + i, entry.getKey());
            values.put(":v" + i, entry.getValue());
            update.append("#a").append(i).append(" = :v").append(i).append(", ");
            i++;
        }
        names.put("#dup", DUPLICATE_COUNT);
        names.put("#seen", LAST_SEEN_MS);
        names.put("#created", CREATED_MS);
        values.put(":zero", n(0));
        values.put(":createdMs", n(createdAt.toEpochMilli()));
        update.append("#dup = if_not_exists(#dup, :zero), #seen = if_not_exists(#seen, :createdMs)");
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(settings.tableName())
                    .key(Attr.key(partitionKey(id), SK_META))
                    .conditionExpression("attribute_not_exists(#created)")
                    .updateExpression(update.toString())
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .build());
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
     */
    public DuplicateRecorded recordDuplicate(String id, long duplicateCount, Instant seenAt) {
        try {
            var response = dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(settings.tableName())
                    .key(Attr.key(partitionKey(id), SK_META))
                    .conditionExpression("attribute_not_exists(#dup) OR #dup < :count")
                    .updateExpression("SET #dup = :count, #seen = :seen")
                    .expressionAttributeNames(Map.of("#dup", DUPLICATE_COUNT, "#seen", LAST_SEEN_MS))
                    .expressionAttributeValues(Map.of(":count", n(duplicateCount), ":seen", n(seenAt.toEpochMilli())))
                    .returnValues(ReturnValue.ALL_NEW)
                    .build());
            return response.attributes().containsKey(CREATED_MS) ? DuplicateRecorded.RECORDED
                    : DuplicateRecorded.NOT_YET_RECORDED;
        } catch (ConditionalCheckFailedException higherCountAlreadyStored) {
            return DuplicateRecorded.SUPERSEDED;
        }
    }

    /** Records an alert that was not paged (a maintenance window): one PutItem, visible in history and metrics. */
    public void recordSuppressed(String id, Alert alert, byte[] storedAlert, SuppressionReason reason, String windowId,
            Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(partitionKey(id), SK_META));
        item.putAll(common(id, alert, storedAlert, at));
        item.put(STATUS, s(IncidentStatus.SUPPRESSED.wire()));
        item.put(SUPPRESSED_REASON, s(reason.wire()));
        if (windowId != null) {
            item.put(MAINTENANCE_WINDOW, s(windowId));
        }
        item.put(DUPLICATE_COUNT, n(0));
        item.put(LAST_SEEN_MS, n(at.toEpochMilli()));
        item.put(ESCALATION_LEVEL, n(0));
        item.put(DELIVERY_STATE, s(DeliveryState.DISABLED.wire()));
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
                .key(Attr.key(partitionKey(id), SK_META))
                .consistentRead(true)
                .build()).item();
        if (item == null || !item.containsKey(CREATED_MS)) {
            return Optional.empty();
        }
        return Optional.of(fromItem(item));
    }

    static Incident fromItem(Map<String, AttributeValue> item) {
        Alert alert = AlertCodec.decode(Attr.bytes(item, ALERT));
        List<String> errors = item.containsKey(DELIVERY_ERRORS)
                ? item.get(DELIVERY_ERRORS).l().stream().map(AttributeValue::s).collect(Collectors.toList())
                : List.of();
        DeliveryState state = DeliveryState.fromWire(Attr.string(item, DELIVERY_STATE));
        Delivery delivery = new Delivery(state, (int) Attr.number(item, DELIVERY_ATTEMPTS, 0),
                (int) Attr.number(item, DELIVERY_LAST_STATUS, 0), errors, Attr.instantMillis(item, DELIVERY_NEXT_MS),
                state == DeliveryState.PENDING);
        String reason = Attr.string(item, SUPPRESSED_REASON);
        return new Incident(Attr.string(item, ID), alert, IncidentStatus.fromWire(Attr.string(item, STATUS)),
                Attr.instantMillis(item, CREATED_MS), Attr.number(item, DUPLICATE_COUNT, 0),
                Attr.instantMillis(item, LAST_SEEN_MS), delivery, (int) Attr.number(item, ESCALATION_LEVEL, 1),
                Attr.instantMillis(item, NEXT_ESCALATION_MS),
                reason == null ? null : SuppressionReason.valueOf(reason.toUpperCase(java.util.Locale.ROOT)),
                Attr.string(item, MAINTENANCE_WINDOW));
    }

    private static Map<String, AttributeValue> common(String id, Alert alert, byte[] storedAlert, Instant createdAt) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
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

    private static Map<String, AttributeValue> deliveryAttributes(String id, Delivery delivery) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(DELIVERY_STATE, s(delivery.state().wire()));
        attributes.put(DELIVERY_ATTEMPTS, n(delivery.attempts()));
        attributes.put(DELIVERY_LAST_STATUS, n(delivery.lastStatus()));
        attributes.put(DELIVERY_ERRORS, AttributeValue.fromL(delivery.errors().stream().map(Attr::s).toList()));
        if (delivery.state() == DeliveryState.PENDING && delivery.nextAttempt() != null) {
            attributes.put(DELIVERY_NEXT_MS, n(delivery.nextAttempt().toEpochMilli()));
            attributes.put(TableSchema.GSI_DELIVERY_PK, s(DELIVERY_PARTITION));
            attributes.put(TableSchema.GSI_DELIVERY_SK, s(Instants.format(delivery.nextAttempt()) + "#" + id));
        }
        return attributes;
    }
}
