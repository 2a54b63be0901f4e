package io.tocsin.heartbeat;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Severity;
import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import io.tocsin.store.TableSchema.Index;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Heartbeat items ({@code pk=HEARTBEAT, sk=<name>}), one small item each. Every write puts the whole item on the
 * condition that its {@code version} is the one read, so pings, definitions and overlapping sweeps never lose each
 * other's changes. A waiting heartbeat is indexed at its deadline, a raising one at the end of its sweep's lease, in
 * the sparse {@code escalation-due} index under the partition {@link #DUE_PARTITION} (the index's key is "partition,
 * {@code <instant>#<id>}"; incidents use the partition {@code ESC}), so the sweep reads only what is due. A late
 * heartbeat leaves the index until its next ping.
 */
@Singleton
public class HeartbeatStore {

    public static final String PARTITION = "HEARTBEAT";
    /** The heartbeats' partition in the escalation-due index. */
    public static final String DUE_PARTITION = IndexEntry.HEARTBEAT;
    /**
     * How long a sweep holds a heartbeat it is raising: longer than the sweep's Lambda timeout (120 s in
     * template.yaml), so that a live sweep never loses it, short enough that a dead one's claim is soon taken over.
     */
    public static final Duration RAISE_LEASE = Duration.ofMinutes(3);

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public HeartbeatStore(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /** A consistent read. */
    public Optional<Heartbeat> find(String name) {
        var item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                .key(Attr.key(PARTITION, name)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** Every heartbeat, by name: one Query of the partition (heartbeats are few). */
    public List<Heartbeat> all() {
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK))
                .expressionAttributeValues(Map.of(":pk", s(PARTITION)))
                .consistentRead(true).build();
        return dynamo.queryPaginator(request).items().stream().map(HeartbeatStore::fromItem).toList();
    }

    /** How many heartbeats there are: a counting Query of the partition (no items read back). */
    public long count() {
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK))
                .expressionAttributeValues(Map.of(":pk", s(PARTITION)))
                .select(software.amazon.awssdk.services.dynamodb.model.Select.COUNT)
                .consistentRead(true).build();
        return dynamo.queryPaginator(request).stream().mapToLong(page -> page.count()).sum();
    }

    /**
     * Heartbeats whose index time is before {@code now}: waiting ones past their deadline, raising ones whose lease
     * ran out. Strictly before: at its deadline a heartbeat is not late yet ({@code "<T>#name" < "<now>"} exactly
     * when T is before now, the instants being fixed-width).
     */
    public List<Heartbeat> due(Instant now, int limit) {
        var request = QueryRequest.builder().tableName(settings.tableName()).indexName(Index.ESCALATION_DUE.name())
                .keyConditionExpression("#pk = :pk AND #sk < :now")
                .expressionAttributeNames(Map.of("#pk", Index.ESCALATION_DUE.hashKey(),
                        "#sk", Index.ESCALATION_DUE.rangeKey()))
                .expressionAttributeValues(Map.of(":pk", s(DUE_PARTITION), ":now", s(Instants.format(now))))
                .limit(Math.min(limit, 100)).build();
        return dynamo.queryPaginator(request).items().stream().limit(limit).map(HeartbeatStore::fromItem).toList();
    }

    /** Writes a new heartbeat; false when one of that name exists. */
    public boolean create(Heartbeat heartbeat) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(toItem(heartbeat))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", TableSchema.PK)).build());
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /** Writes {@code next} if the stored heartbeat still has {@code expectedVersion}; false when it changed. */
    public boolean replace(Heartbeat next, long expectedVersion) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(toItem(next))
                    .conditionExpression("#version = :expected")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":expected", n(expectedVersion))).build());
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    /** Deletes a heartbeat; empty when there was none. */
    public Optional<Heartbeat> delete(String name) {
        var old = dynamo.deleteItem(DeleteItemRequest.builder().tableName(settings.tableName())
                .key(Attr.key(PARTITION, name)).returnValues(ReturnValue.ALL_OLD).build()).attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(fromItem(old));
    }

    static Map<String, AttributeValue> toItem(Heartbeat h) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(PARTITION, h.name()));
        item.put("name", s(h.name()));
        item.put("interval_s", n(h.interval().getSeconds()));
        item.put("grace_s", n(h.grace().getSeconds()));
        if (h.severity() != null) {
            item.put("severity", s(h.severity().wire()));
        }
        item.put("created_ms", n(h.createdAt().toEpochMilli()));
        if (h.lastPingAt() != null) {
            item.put("last_ping_ms", n(h.lastPingAt().toEpochMilli()));
        }
        item.put("pings", n(h.pings()));
        item.put("state", s(h.state().wire()));
        item.put("due_ms", n(h.dueAt().toEpochMilli()));
        if (h.incidentId() != null) {
            item.put("incident_id", s(h.incidentId()));
        }
        if (h.raisedAt() != null) {
            item.put("raised_ms", n(h.raisedAt().toEpochMilli()));
        }
        item.put("version", n(h.version()));
        Instant indexed = switch (h.state()) {
            case WAITING -> h.dueAt();
            case RAISING -> h.raisedAt().plus(RAISE_LEASE);
            case LATE -> null;
        };
        if (indexed != null) {
            item.putAll(IndexEntry.heartbeatDue(indexed, h.name()).attributes());
        }
        return item;
    }

    static Heartbeat fromItem(Map<String, AttributeValue> item) {
        String severity = Attr.string(item, "severity");
        return new Heartbeat(Attr.string(item, "name"), Duration.ofSeconds(Attr.number(item, "interval_s", 0)),
                Duration.ofSeconds(Attr.number(item, "grace_s", 0)),
                severity == null ? null : Severity.parse(severity).orElse(null),
                Attr.instantMillis(item, "created_ms"), Attr.instantMillis(item, "last_ping_ms"),
                Attr.number(item, "pings", 0), HeartbeatState.fromWire(Attr.string(item, "state")),
                Attr.instantMillis(item, "due_ms"), Attr.string(item, "incident_id"),
                Attr.instantMillis(item, "raised_ms"), Attr.number(item, "version", 0));
    }
}
