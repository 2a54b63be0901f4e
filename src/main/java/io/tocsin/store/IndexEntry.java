package io.tocsin.store;

import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * An item's entry in one of the sparse indexes of {@link TableSchema}: every one is keyed "partition,
 * {@code <instant>#<id>}" (string order is time order), so an entry is built here, once per index and partition, and a
 * due-by-time question is one {@link #dueBy} Query. Nowhere else writes an index key attribute or a partition name.
 */
public record IndexEntry(TableSchema.Index index, String partition, String sortKey) {

    /** {@code escalation-due}: unacknowledged incidents by their next escalation. */
    public static final String ESCALATION = "ESC";
    /** {@code escalation-due}: acknowledged incidents by when their acknowledgment may time out. */
    public static final String ACK = "ACK";
    /** {@code escalation-due}: heartbeats by their deadline. */
    public static final String HEARTBEAT = "HEARTBEAT";
    /** {@code open}: every open incident. */
    public static final String OPEN = "OPEN";
    /** {@code delivery-due}: incidents with an outward effect pending. */
    public static final String DELIVERY = "DELIVERY";
    /** {@code claims}: every dedup claim by the end of its lease. */
    public static final String CLAIM = "CLAIM";

    private static final TableSchema.Index BY_CREATED = TableSchema.Index.BY_CREATED;
    private static final TableSchema.Index OPEN_INDEX = TableSchema.Index.OPEN;
    private static final TableSchema.Index DUE = TableSchema.Index.ESCALATION_DUE;
    private static final TableSchema.Index DELIVERY_DUE = TableSchema.Index.DELIVERY_DUE;
    private static final TableSchema.Index CLAIMS = TableSchema.Index.CLAIMS;

    public static IndexEntry escalationDue(Instant due, String incidentId) {
        return new IndexEntry(DUE, ESCALATION, sortKey(due, incidentId));
    }

    public static IndexEntry ackTimeoutDue(Instant lookAt, String incidentId) {
        return new IndexEntry(DUE, ACK, sortKey(lookAt, incidentId));
    }

    public static IndexEntry heartbeatDue(Instant deadline, String name) {
        return new IndexEntry(DUE, HEARTBEAT, sortKey(deadline, name));
    }

    /** The incidents closed (resolved, suppressed) on {@code at}'s UTC day, in closing order: the metrics rollups'. */
    public static IndexEntry closed(Instant at, String incidentId) {
        return new IndexEntry(DUE, closedPartition(LocalDate.ofInstant(at, ZoneOffset.UTC)), sortKey(at, incidentId));
    }

    /** The {@code escalation-due} partition of the incidents closed on a UTC day. */
    public static String closedPartition(LocalDate day) {
        return "CLOSED#" + day;
    }

    public static IndexEntry created(Instant createdAt, String incidentId) {
        return new IndexEntry(BY_CREATED, createdPartition(LocalDate.ofInstant(createdAt, ZoneOffset.UTC)),
                sortKey(createdAt, incidentId));
    }

    /** The {@code by-created} partition of a UTC day. */
    public static String createdPartition(LocalDate day) {
        return "DAY#" + day;
    }

    public static IndexEntry open(Instant createdAt, String incidentId) {
        return new IndexEntry(OPEN_INDEX, OPEN, sortKey(createdAt, incidentId));
    }

    public static IndexEntry deliveryDue(Instant due, String incidentId) {
        return new IndexEntry(DELIVERY_DUE, DELIVERY, sortKey(due, incidentId));
    }

    public static IndexEntry claimLeaseEnd(Instant leaseEnd, String incidentId) {
        return new IndexEntry(CLAIMS, CLAIM, sortKey(leaseEnd, incidentId));
    }

    /** {@code <instant>#<id>}. */
    public static String sortKey(Instant at, String id) {
        return Instants.format(at) + "#" + id;
    }

    /** The greatest sort key at {@code at}: every entry due at or before it sorts before this. */
    public static String through(Instant at) {
        return Instants.format(at) + "#~";
    }

    /** The id in a sort key. */
    public static String idOf(String sortKey) {
        return sortKey.substring(sortKey.indexOf('#') + 1);
    }

    /** The entry's two key attributes, to put on an item. */
    public Map<String, AttributeValue> attributes() {
        return Map.of(index.hashKey(), s(partition), index.rangeKey(), s(sortKey));
    }

    /** Sets the entry's two key attributes in {@code update}. */
    public Update setIn(Update update) {
        return update.set(index.hashKey(), s(partition)).set(index.rangeKey(), s(sortKey));
    }

    /** Takes the item out of {@code index} (removes its two key attributes). */
    public static Update removeFrom(TableSchema.Index index, Update update) {
        return update.remove(index.hashKey()).remove(index.rangeKey());
    }

    /** A Query of the entries of {@code partition} in {@code index} due at or before {@code now}, oldest first. */
    public static QueryRequest.Builder dueBy(String table, TableSchema.Index index, String partition, Instant now) {
        return QueryRequest.builder().tableName(table).indexName(index.name())
                .keyConditionExpression("#pk = :pk AND #sk <= :now")
                .expressionAttributeNames(Map.of("#pk", index.hashKey(), "#sk", index.rangeKey()))
                .expressionAttributeValues(Map.of(":pk", s(partition), ":now", s(through(now))));
    }
}
