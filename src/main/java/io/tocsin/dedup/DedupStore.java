package io.tocsin.dedup;

import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Decides, atomically and without transactions, whether an alert opens a new incident or joins the incident that
 * holds its dedup key. One item per key ({@code pk=DEDUP#<key>}) is the claim: the first alert writes its incident id
 * and the alert itself into it; every later alert increments its hit count and learns the incident id from the same
 * request, for as long as that incident is open. Once it is found resolved, the next alert reopens the claim with a
 * new incident ({@link #reopen}). (Claims written before this rule also carry a {@code window_end_ms}, now unused.)
 */
@Singleton
public class DedupStore {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DedupStore.class);

    static final String INCIDENT_ID = "incident_id";
    static final String CLAIMED_AT_MS = "claimed_at_ms";
    static final String LAST_SEEN_MS = "last_seen_ms";
    static final String HITS = "hits";
    static final String ALERT = "alert";
    static final String DEDUP_KEY = "dedup_key";
    /**
     * Read only by the previous version (format 1), which compares it with now in its claim condition: written once
     * when a claim is opened (opened + ALERT_DEDUP_WINDOW), so that a rollback finds claims it can use.
     */
    static final String WINDOW_END_MS = "window_end_ms";

    /** The partition of the {@code claims} index: every claim, by when its lease ends. */
    public static final String CLAIMS_PARTITION = "CLAIM";

    /**
     * A claim expires this long after the last alert of its key (DynamoDB deletes it lazily, up to two days later): an
     * open incident whose key stays silent that long is no longer joined by a new alert of the key.
     */
    static final Duration CLAIM_RETENTION = Duration.ofDays(30);

    /** Concurrent window roll-overs on one key settle within a couple of rounds; more means something is wrong. */
    private static final int MAX_ROUNDS = 8;

    /** The outcome of claiming a dedup key. */
    public sealed interface Claim {
        /** This alert opened the window: {@code incidentId} is the candidate id it brought. */
        record Won(String incidentId) implements Claim {
        }

        /**
         * Another alert holds the window. {@code duplicateCount} counts the alerts after the first, this one included;
         * {@code alert} is the stored first alert and {@code claimedAt} when it was claimed (for recovery).
         */
        record Held(String incidentId, long duplicateCount, Instant claimedAt, byte[] alert) implements Claim {
        }
    }

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public DedupStore(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    public static String partitionKey(String dedupKey) {
        return "DEDUP#" + dedupKey;
    }

    /**
     * One UpdateItem: the key's claim is joined (this alert is counted on the incident it holds) or opened with
     * {@code candidateId}. The claim lives as long as its incident is open, however long that is: it ends only when
     * the incident is found resolved ({@link #reopen}). Its expiry is pushed out on every alert.
     */
    public Claim claim(String dedupKey, String candidateId, byte[] alert, Instant now) {
        return openOrJoin(dedupKey, candidateId, alert, now);
    }

    /**
     * The key's incident {@code closedIncidentId} is resolved: this alert opens a new one with {@code candidateId}
     * (one PutItem, on the condition that the claim still holds the resolved incident). If a concurrent alert
     * reopened it first, this one joins the new incident.
     */
    public Claim reopen(String dedupKey, String closedIncidentId, String candidateId, byte[] alert, Instant now) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            try {
                return rollOver(dedupKey, closedIncidentId, candidateId, alert, now);
            } catch (ConditionalCheckFailedException reopenedByAnother) {
                Claim joined = openOrJoin(dedupKey, candidateId, alert, now);
                if (!(joined instanceof Claim.Held held) || !held.incidentId().equals(closedIncidentId)) {
                    return joined;
                }
            }
        }
        throw new IllegalStateException("Could not reopen dedup key after " + MAX_ROUNDS + " rounds of contention");
    }

    private Claim openOrJoin(String dedupKey, String candidateId, byte[] alert, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":id", s(candidateId));
        values.put(":ttl", n(now.plus(CLAIM_RETENTION).getEpochSecond()));
        values.put(":now", n(now.toEpochMilli()));
        values.put(":alert", b(alert));
        values.put(":key", s(dedupKey));
        values.put(":one", n(1));
        values.put(":cpk", s(CLAIMS_PARTITION));
        values.put(":csk", s(claimsSortKey(now, candidateId)));
        values.put(":end", n(now.plus(settings.dedupWindow()).toEpochMilli()));
        var response = dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(settings.tableName())
                .key(Attr.key(partitionKey(dedupKey), "CLAIM"))
                .updateExpression("SET #id = if_not_exists(#id, :id), #ttl = :ttl, "
                        + "#claimed = if_not_exists(#claimed, :now), #alert = if_not_exists(#alert, :alert), "
                        + "#key = :key, #seen = :now, #cpk = if_not_exists(#cpk, :cpk), "
                        + "#csk = if_not_exists(#csk, :csk), #end = if_not_exists(#end, :end) ADD #hits :one")
                .expressionAttributeNames(Map.ofEntries(Map.entry("#id", INCIDENT_ID),
                        Map.entry("#ttl", TableSchema.TTL_ATTRIBUTE), Map.entry("#claimed", CLAIMED_AT_MS),
                        Map.entry("#alert", ALERT), Map.entry("#key", DEDUP_KEY), Map.entry("#seen", LAST_SEEN_MS),
                        Map.entry("#hits", HITS), Map.entry("#cpk", TableSchema.GSI_CLAIMS_PK),
                        Map.entry("#csk", TableSchema.GSI_CLAIMS_SK), Map.entry("#end", WINDOW_END_MS)))
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)
                .build());
        Map<String, AttributeValue> claim = response.attributes();
        String holder = Attr.string(claim, INCIDENT_ID);
        if (candidateId.equals(holder)) {
            return new Claim.Won(candidateId);
        }
        return new Claim.Held(holder, Attr.number(claim, HITS, 1) - 1, Attr.instantMillis(claim, CLAIMED_AT_MS),
                Attr.bytes(claim, ALERT));
    }

    private Claim rollOver(String dedupKey, String closedIncidentId, String candidateId, byte[] alert, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(partitionKey(dedupKey), "CLAIM"));
        item.put(INCIDENT_ID, s(candidateId));
        item.put(TableSchema.TTL_ATTRIBUTE, n(now.plus(CLAIM_RETENTION).getEpochSecond()));
        item.put(CLAIMED_AT_MS, n(now.toEpochMilli()));
        item.put(LAST_SEEN_MS, n(now.toEpochMilli()));
        item.put(ALERT, b(alert));
        item.put(DEDUP_KEY, s(dedupKey));
        item.put(HITS, n(1));
        item.put(TableSchema.GSI_CLAIMS_PK, s(CLAIMS_PARTITION));
        item.put(TableSchema.GSI_CLAIMS_SK, s(claimsSortKey(now, candidateId)));
        item.put(WINDOW_END_MS, n(now.plus(settings.dedupWindow()).toEpochMilli()));
        dynamo.putItem(PutItemRequest.builder()
                .tableName(settings.tableName())
                .item(item)
                .conditionExpression("#id = :closed")
                .expressionAttributeNames(Map.of("#id", INCIDENT_ID))
                .expressionAttributeValues(Map.of(":closed", s(closedIncidentId)))
                .build());
        return new Claim.Won(candidateId);
    }

    /**
     * The claim's place in the {@code claims} index: when its lease ends, then the incident id. The sweep reads the
     * claims whose lease has ended and finishes those whose incident was never written (the invocation died).
     */
    String claimsSortKey(Instant claimedAt, String incidentId) {
        return io.tocsin.time.Instants.format(claimedAt.plus(settings.ingest().claimLease())) + "#" + incidentId;
    }

    /** The incident id in a {@code claims} index sort key. */
    public static String incidentIdOf(String claimsSortKey) {
        return claimsSortKey.substring(claimsSortKey.indexOf('#') + 1);
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
        var item = dynamo.getItem(software.amazon.awssdk.services.dynamodb.model.GetItemRequest.builder()
                .tableName(settings.tableName()).key(Attr.key(claimPartitionKey, "CLAIM")).consistentRead(true)
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
        var request = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                .tableName(settings.tableName()).indexName(TableSchema.GSI_CLAIMS)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :after AND :now")
                .expressionAttributeNames(Map.of("#pk", TableSchema.GSI_CLAIMS_PK, "#sk", TableSchema.GSI_CLAIMS_SK))
                .expressionAttributeValues(Map.of(":pk", s(CLAIMS_PARTITION), ":after",
                        s(after.isEmpty() ? "0" : after + (char) 0),
                        ":now", s(io.tocsin.time.Instants.format(now) + "#~")))
                .limit(limit)
                .build();
        try {
            return dynamo.query(request).items().stream().map(item -> new DueClaim(Attr.string(item, TableSchema.PK),
                    incidentIdOf(Attr.string(item, TableSchema.GSI_CLAIMS_SK)),
                    Attr.string(item, TableSchema.GSI_CLAIMS_SK))).toList();
        } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException notReadable) {
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
        var item = dynamo.getItem(software.amazon.awssdk.services.dynamodb.model.GetItemRequest.builder()
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
