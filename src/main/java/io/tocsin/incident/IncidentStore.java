package io.tocsin.incident;

import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import io.tocsin.store.TableSchema.Index;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Reads of incident items ({@code pk=INC#<id>, sk=META}), in either item format. State changes are
 * {@link IncidentWrites}', {@link IncidentTransitions}' and {@link EscalationWrites}'; the outbox's own writes are
 * {@link OutboxStore}'s.
 */
@Singleton
public class IncidentStore {

    public static final String SK_META = "META";

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final DuplicateFold fold;
    private final java.time.Clock clock;

    @Inject
    public IncidentStore(DynamoDbClient dynamo, Settings settings, DuplicateFold fold, java.time.Clock clock) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.fold = fold;
        this.clock = clock;
    }

    private List<Map<String, AttributeValue>> folded(List<Map<String, AttributeValue>> items) {
        return fold.fold(items);
    }

    /** An incident item as read from a table or index page (either format). */
    public static Incident decode(Map<String, AttributeValue> item) {
        return IncidentItems.fromItem(item);
    }

    public static String partitionKey(String incidentId) {
        return "INC#" + incidentId;
    }

    /**
     * The incident as its item stands (a strongly consistent read); empty for unknown ids and for incidents not
     * recorded yet. Its duplicate count is the item's own, which lags the count on the dedup claim while the incident
     * is open: for state changes, which do not need it. What people see comes from {@link #findWithDuplicates}.
     */
    public Optional<Incident> findAsStored(String id) {
        return item(id).map(IncidentItems::fromItem);
    }

    /**
     * As {@link #findAsStored} (empty for an incident past its retention, {@code TOCSIN_RETENTION}), with the duplicates counted on the dedup claim folded in ({@link DuplicateFold}): the
     * exact duplicate count, for one more read of an open incident.
     */
    public Optional<Incident> findWithDuplicates(String id) {
        // what people see: an incident past its retention is gone, whether DynamoDB deleted it yet or not
        return item(id).filter(item -> !TableSchema.expired(item, clock.instant())).map(item -> folded(List.of(item)).get(0)).map(IncidentItems::fromItem);
    }

    private Optional<Map<String, AttributeValue>> item(String id) {
        var item = dynamo.getItem(GetItemRequest.builder()
                .tableName(settings.tableName())
                .key(IncidentItems.key(id))
                .consistentRead(true)
                .build()).item();
        if (item == null || !item.containsKey(IncidentItems.CREATED_MS)) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    /**
     * The open incidents with this dedup key (normally one), through the {@code open} index filtered on the key: the
     * cost is one read of the open incidents, which are few; the dedup claim cannot be used, as it expires with its
     * window while an alarm may stay in ALARM for days.
     */
    public List<Incident> openWithDedupKey(String dedupKey) {
        return queryOpen(openQuery()
                .filterExpression("#key = :key")
                .expressionAttributeNames(Map.of("#pk", TableSchema.GSI_OPEN_PK, "#key", IncidentItems.DEDUP_KEY))
                .expressionAttributeValues(Map.of(":pk", s(IndexEntry.OPEN), ":key", s(dedupKey))));
    }

    /**
     * Every open (triggered or acknowledged) incident, oldest first, through the {@code open} index: the dashboard's
     * and the daily summary's "unresolved" list. Open incidents are few; this reads them all, page by page, and their
     * dedup claims' counts.
     */
    public List<Incident> open() {
        var request = openQuery()
                .expressionAttributeNames(Map.of("#pk", TableSchema.GSI_OPEN_PK))
                .expressionAttributeValues(Map.of(":pk", s(IndexEntry.OPEN))).build();
        // with their duplicates counted on the claims folded in (one BatchGetItem per 100 open incidents)
        return folded(dynamo.queryPaginator(request).items().stream().toList()).stream()
                .map(IncidentItems::fromItem).toList();
    }

    private QueryRequest.Builder openQuery() {
        return QueryRequest.builder().tableName(settings.tableName()).indexName(TableSchema.GSI_OPEN)
                .keyConditionExpression("#pk = :pk");
    }

    private List<Incident> queryOpen(QueryRequest.Builder request) {
        return dynamo.queryPaginator(request.build()).items().stream().map(IncidentItems::fromItem).toList();
    }

    /** Incidents with an outward effect due (or whose lease ran out) at {@code now}, oldest due first. */
    public List<Incident> dueForDelivery(Instant now, int limit) {
        return due(Index.DELIVERY_DUE, IndexEntry.DELIVERY, now, limit);
    }

    /** Unacknowledged incidents whose next escalation is due at {@code now}, oldest due first. */
    public List<Incident> dueForEscalation(Instant now, int limit) {
        return due(Index.ESCALATION_DUE, IndexEntry.ESCALATION, now, limit);
    }

    /** Acknowledged incidents the acknowledgment-timeout sweep must look at by {@code now}, oldest first. */
    public List<Incident> dueForAckTimeout(Instant now, int limit) {
        return due(Index.ESCALATION_DUE, IndexEntry.ACK, now, limit);
    }

    private List<Incident> due(Index index, String partition, Instant now, int limit) {
        var request = IndexEntry.dueBy(settings.tableName(), index, partition, now).limit(Math.min(limit, 100)).build();
        // pages are fetched lazily: no more than the limit needs
        return dynamo.queryPaginator(request).items().stream().limit(limit).map(IncidentItems::fromItem).toList();
    }
}
