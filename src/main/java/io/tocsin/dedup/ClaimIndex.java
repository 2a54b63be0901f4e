package io.tocsin.dedup;

import static io.tocsin.dedup.DedupStore.ALERT;
import static io.tocsin.dedup.DedupStore.CLAIMED_AT_MS;
import static io.tocsin.dedup.DedupStore.CLAIM_SK;
import static io.tocsin.dedup.DedupStore.INCIDENT_ID;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The sweep's side of the dedup claims: the {@code claims} index (every claim by the end of its lease, keys only), the
 * claim item as it stands, and the cursor ({@code pk=SWEEP, sk=CLAIMS}) of how far the index has been checked. The
 * claims themselves (claim, join, reopen, close) are {@link DedupStore}'s.
 */
@Singleton
public class ClaimIndex {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ClaimIndex.class);
    private static final TableSchema.Index INDEX = TableSchema.Index.CLAIMS;

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public ClaimIndex(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /** A claim as the sweep needs it to finish its incident. */
    public record StoredClaim(String incidentId, byte[] alert, Instant claimedAt) {
    }

    /**
     * The claim item ({@code pk=claimPartitionKey}) as it stands (a consistent read): the incident it holds now, which
     * may not be the one its index entry names (a claim written before the index, joined later, was indexed with the
     * joining alert's candidate id).
     */
    public java.util.Optional<StoredClaim> find(String claimPartitionKey) {
        var item = dynamo.getItem(GetItemRequest.builder()
                .tableName(settings.tableName()).key(Attr.key(claimPartitionKey, CLAIM_SK)).consistentRead(true)
                .build()).item();
        if (item == null || Attr.string(item, INCIDENT_ID) == null || Attr.bytes(item, ALERT) == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new StoredClaim(Attr.string(item, INCIDENT_ID), Attr.bytes(item, ALERT),
                Attr.instantMillis(item, CLAIMED_AT_MS)));
    }

    /** A claim whose lease has ended, from the {@code claims} index. */
    public record DueClaim(String claimPartitionKey, String incidentId, String sortKey) {
    }

    /**
     * Claims whose lease ended after {@code after} (a sort key; "" for the beginning) and by {@code now}, oldest first,
     * at most {@code limit}: keys only, one Query.
     */
    public java.util.List<DueClaim> dueClaims(String after, Instant now, int limit) {
        var request = QueryRequest.builder()
                .tableName(settings.tableName()).indexName(INDEX.name())
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :after AND :now")
                .expressionAttributeNames(Map.of("#pk", INDEX.hashKey(), "#sk", INDEX.rangeKey()))
                .expressionAttributeValues(Map.of(":pk", s(IndexEntry.CLAIM), ":after",
                        s(after.isEmpty() ? "0" : after + (char) 0), ":now", s(IndexEntry.through(now))))
                .limit(limit)
                .build();
        try {
            return dynamo.query(request).items().stream().map(item -> new DueClaim(Attr.string(item, TableSchema.PK),
                    IndexEntry.idOf(Attr.string(item, INDEX.rangeKey())), Attr.string(item, INDEX.rangeKey())))
                    .toList();
        } catch (DynamoDbException notReadable) {
            if (String.valueOf(notReadable.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("backfilling")) {
                // the index is still being built after the stack update that added it: nothing to check yet
                LOG.warnf("The claims index is still being built; the sweep checks claims once it is ACTIVE");
                return java.util.List.of();
            }
            throw notReadable;
        }
    }

    private static final Map<String, AttributeValue> CURSOR_KEY = Attr.key("SWEEP", "CLAIMS");
    private static final String VERIFIED_TO = "verified_to";

    /** How far the sweep has checked the {@code claims} index: every claim up to this sort key was recorded. */
    public String claimsCursor() {
        var item = dynamo.getItem(GetItemRequest.builder()
                .tableName(settings.tableName()).key(CURSOR_KEY).consistentRead(true).build()).item();
        String cursor = item == null ? null : Attr.string(item, VERIFIED_TO);
        return cursor == null ? "" : cursor;
    }

    /** Moves the cursor from {@code from} to {@code to}; false if an overlapping sweep moved it first. */
    public boolean advanceClaimsCursor(String from, String to) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(settings.tableName()).key(CURSOR_KEY)
                    .updateExpression("SET #v = :to")
                    .conditionExpression(from.isEmpty() ? "attribute_not_exists(#v)" : "#v = :from")
                    .expressionAttributeNames(Map.of("#v", VERIFIED_TO))
                    .expressionAttributeValues(from.isEmpty() ? Map.of(":to", s(to))
                            : Map.of(":to", s(to), ":from", s(from)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException movedByAnotherSweep) {
            return false;
        }
    }
}
