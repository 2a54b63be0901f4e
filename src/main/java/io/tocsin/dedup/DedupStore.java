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
 * Decides, atomically and without transactions, whether an alert opens a new incident or duplicates the incident that
 * holds its dedup key. One item per key ({@code pk=DEDUP#<key>}) is the claim: the first alert of a window writes its
 * incident id and the alert itself into it; every later alert of the window increments its hit count and learns the
 * incident id from the same request. The claim's window end is compared with now in the condition, never left to TTL
 * deletion (DynamoDB deletes expired items up to days late).
 */
@Singleton
public class DedupStore {

    static final String INCIDENT_ID = "incident_id";
    static final String WINDOW_END_MS = "window_end_ms";
    static final String CLAIMED_AT_MS = "claimed_at_ms";
    static final String LAST_SEEN_MS = "last_seen_ms";
    static final String HITS = "hits";
    static final String ALERT = "alert";
    static final String DEDUP_KEY = "dedup_key";

    /** Expired claims are kept this long after their window so that a late retry can still recover their alert. */
    static final Duration CLAIM_RETENTION = Duration.ofDays(1);

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
     * One UpdateItem in the common cases (first alert of a window, or duplicate); a PutItem more when the previous
     * window of the key has ended.
     */
    public Claim claim(String dedupKey, String candidateId, byte[] alert, Instant now) {
        Instant windowEnd = now.plus(settings.dedupWindow());
        for (int round = 0; round < MAX_ROUNDS; round++) {
            try {
                return openOrJoin(dedupKey, candidateId, alert, now, windowEnd);
            } catch (ConditionalCheckFailedException windowEnded) {
                try {
                    return rollOver(dedupKey, candidateId, alert, now, windowEnd);
                } catch (ConditionalCheckFailedException someoneElseRolledOver) {
                    // the window was reopened by a concurrent alert: join it on the next round
                }
            }
        }
        throw new IllegalStateException("Could not claim dedup key after " + MAX_ROUNDS + " rounds of contention");
    }

    private Claim openOrJoin(String dedupKey, String candidateId, byte[] alert, Instant now, Instant windowEnd) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":id", s(candidateId));
        values.put(":end", n(windowEnd.toEpochMilli()));
        values.put(":ttl", n(windowEnd.plus(CLAIM_RETENTION).getEpochSecond()));
        values.put(":now", n(now.toEpochMilli()));
        values.put(":alert", b(alert));
        values.put(":key", s(dedupKey));
        values.put(":one", n(1));
        var response = dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(settings.tableName())
                .key(Attr.key(partitionKey(dedupKey), "CLAIM"))
                .conditionExpression("attribute_not_exists(#pk) OR #end > :now")
                .updateExpression("SET #id = if_not_exists(#id, :id), #end = if_not_exists(#end, :end), "
                        + "#ttl = if_not_exists(#ttl, :ttl), #claimed = if_not_exists(#claimed, :now), "
                        + "#alert = if_not_exists(#alert, :alert), #key = :key, #seen = :now ADD #hits :one")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#id", INCIDENT_ID, "#end", WINDOW_END_MS,
                        "#ttl", TableSchema.TTL_ATTRIBUTE, "#claimed", CLAIMED_AT_MS, "#alert", ALERT,
                        "#key", DEDUP_KEY, "#seen", LAST_SEEN_MS, "#hits", HITS))
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

    private Claim rollOver(String dedupKey, String candidateId, byte[] alert, Instant now, Instant windowEnd) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(partitionKey(dedupKey), "CLAIM"));
        item.put(INCIDENT_ID, s(candidateId));
        item.put(WINDOW_END_MS, n(windowEnd.toEpochMilli()));
        item.put(TableSchema.TTL_ATTRIBUTE, n(windowEnd.plus(CLAIM_RETENTION).getEpochSecond()));
        item.put(CLAIMED_AT_MS, n(now.toEpochMilli()));
        item.put(LAST_SEEN_MS, n(now.toEpochMilli()));
        item.put(ALERT, b(alert));
        item.put(DEDUP_KEY, s(dedupKey));
        item.put(HITS, n(1));
        dynamo.putItem(PutItemRequest.builder()
                .tableName(settings.tableName())
                .item(item)
                .conditionExpression("#end <= :now")
                .expressionAttributeNames(Map.of("#end", WINDOW_END_MS))
                .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli())))
                .build());
        return new Claim.Won(candidateId);
    }
}
