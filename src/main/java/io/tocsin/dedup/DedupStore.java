package io.tocsin.dedup;

import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Decides, atomically and without transactions, whether an alert opens a new incident or joins the incident that
 * holds its dedup key. One item per key ({@code pk=DEDUP#<key>}) is the claim: the first alert writes its incident id
 * and the alert itself into it; every later alert adds one to its {@code hits} in the same single request, for as long
 * as that incident is open. The claim is where duplicates are counted: {@code hits - 1} is the incident's duplicate
 * count (folded into the incident when it is read, and when it is resolved: see {@code DuplicateFold}). The claim also
 * mirrors what a duplicate needs to decide alone: when the next repeat is due to be forwarded ({@code repeat_due_ms}),
 * whether the incident was seen recorded ({@code recorded}), and whether it was resolved ({@code closed}, written right
 * after the resolve). A closed claim refuses the next alert, which reopens the key with a new incident
 * ({@link #reopen}).
 *
 * <p>The sweep's reads of the claims (the {@code claims} index, its cursor) are {@link ClaimIndex}'s; the counts read
 * for many incidents at once are {@link ClaimCounts}'.
 *
 * <p>Claims written before this format (no {@code repeat_due_ms}) are refused too, so that the first alert after the
 * upgrade looks at their incident once before counting on them ({@link #upgrade}). (Claims written before the
 * open-incident rule also carry a {@code window_end_ms}, read only by the previous version.)
 */
@Singleton
public class DedupStore {

        static final String INCIDENT_ID = "incident_id";
    static final String CLAIMED_AT_MS = "claimed_at_ms";
    static final String LAST_SEEN_MS = "last_seen_ms";
    static final String HITS = "hits";
    static final String ALERT = "alert";
    static final String DEDUP_KEY = "dedup_key";
    /** When a duplicate next forwards a repeat (or looks at the incident): the incident's own due time, mirrored. */
    static final String REPEAT_DUE_MS = "repeat_due_ms";
    /** Present once an alert saw the incident recorded: after the lease, no duplicate needs to look again. */
    static final String RECORDED = "recorded";
    /** The id of the claim's incident once it is resolved: the next alert reopens the key. */
    static final String CLOSED = "closed";
    /**
     * Read only by the previous version (format 1), which compares it with now in its claim condition: written once
     * when a claim is opened (opened + ALERT_DEDUP_WINDOW), so that a rollback finds claims it can use.
     */
    static final String WINDOW_END_MS = "window_end_ms";

    /**
     * A claim expires this long after the last alert of its key (DynamoDB deletes it lazily, up to two days later): an
     * open incident whose key stays silent that long is no longer joined by a new alert of the key.
     */
    static final Duration CLAIM_RETENTION = Duration.ofDays(30);

    /** The outcome of claiming a dedup key. */
    public sealed interface Claim {
        /** This alert opened the window: {@code incidentId} is the candidate id it brought. */
        record Won(String incidentId) implements Claim {
        }

        /**
         * Another alert holds the key, and this one was counted on it. {@code duplicateCount} counts the alerts after
         * the first, this one included; {@code alert} is the stored first alert and {@code claimedAt} when it was
         * claimed (for recovery); {@code repeatDueAt} when the next repeat is due (or when to look at the incident
         * again); {@code recorded} whether an alert already saw the incident recorded.
         */
        record Held(String incidentId, long duplicateCount, Instant claimedAt, byte[] alert, Instant repeatDueAt,
                boolean recorded) implements Claim {
        }

        /**
         * The claim refused the alert without counting it: its incident is resolved ({@code closed}: {@link #reopen}
         * it), or the claim is in the previous format (look at its incident, then {@link #checked} upgrades it).
         */
        record Refused() implements Claim {
        }
    }

    /** A claim's counts: the incident it holds, the duplicates counted on it and the last alert's time. */
    public record ClaimCount(String incidentId, long duplicates, Instant lastSeen) {
        static ClaimCount of(Map<String, AttributeValue> item) {
            return new ClaimCount(Attr.string(item, INCIDENT_ID), Math.max(0, Attr.number(item, HITS, 1) - 1),
                    Attr.instantMillis(item, LAST_SEEN_MS));
        }
    }

    /** A claim item as stored (null fields when absent). */
    public record ClaimState(String incidentId, boolean closed, boolean previousFormat, ClaimCount count,
            Instant claimedAt, byte[] alert) {
    }

    /** The outcome of reopening a key: this alert's new incident, and the previous incident's final count. */
    public record Reopened(String incidentId, ClaimCount previous) {
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

    /** The sort key of every claim item. */
    static final String CLAIM_SK = "CLAIM";

    static Map<String, AttributeValue> claimKey(String dedupKey) {
        return Attr.key(partitionKey(dedupKey), CLAIM_SK);
    }

    /**
     * One UpdateItem: the key's claim is joined (this alert is counted on it: {@code hits + 1}) or opened with
     * {@code candidateId}, unless it is closed or in the previous format ({@link Claim.Refused}, nothing written).
     * The claim lives as long as its incident is open, however long that is. Its expiry is pushed out on every alert.
     * The claim as it was before this alert comes back in the same request (ALL_OLD: nothing when it was opened now).
     */
    public Claim claim(String dedupKey, String candidateId, byte[] alert, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":id", s(candidateId));
        values.put(":ttl", n(now.plus(CLAIM_RETENTION).getEpochSecond()));
        values.put(":now", n(now.toEpochMilli()));
        values.put(":alert", b(alert));
        values.put(":key", s(dedupKey));
        values.put(":one", n(1));
        IndexEntry leaseEnd = leaseEnd(now, candidateId);
        values.put(":cpk", s(leaseEnd.partition()));
        values.put(":csk", s(leaseEnd.sortKey()));
        values.put(":end", n(now.plus(settings.dedupWindow()).toEpochMilli()));
        values.put(":due", n(now.plus(settings.dedupWindow()).toEpochMilli()));
        Map<String, AttributeValue> old;
        try {
            old = dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(settings.tableName())
                    .key(claimKey(dedupKey))
                    .updateExpression("SET #id = if_not_exists(#id, :id), #ttl = :ttl, "
                            + "#claimed = if_not_exists(#claimed, :now), #alert = if_not_exists(#alert, :alert), "
                            + "#key = :key, #seen = :now, #cpk = if_not_exists(#cpk, :cpk), "
                            + "#csk = if_not_exists(#csk, :csk), #end = if_not_exists(#end, :end), "
                            + "#due = if_not_exists(#due, :due) ADD #hits :one")
                    // a closed claim, or one in the previous format (an incident but no repeat_due_ms), refuses
                    .conditionExpression("attribute_not_exists(#closed) AND (attribute_not_exists(#id) OR "
                            + "attribute_exists(#due))")
                    .expressionAttributeNames(Map.ofEntries(Map.entry("#id", INCIDENT_ID),
                            Map.entry("#ttl", TableSchema.TTL_ATTRIBUTE), Map.entry("#claimed", CLAIMED_AT_MS),
                            Map.entry("#alert", ALERT), Map.entry("#key", DEDUP_KEY), Map.entry("#seen", LAST_SEEN_MS),
                            Map.entry("#hits", HITS), Map.entry("#cpk", TableSchema.GSI_CLAIMS_PK),
                            Map.entry("#csk", TableSchema.GSI_CLAIMS_SK), Map.entry("#end", WINDOW_END_MS),
                            Map.entry("#due", REPEAT_DUE_MS), Map.entry("#closed", CLOSED)))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_OLD)
                    .build()).attributes();
        } catch (ConditionalCheckFailedException closedOrPreviousFormat) {
            return new Claim.Refused();
        }
        String holder = old == null ? null : Attr.string(old, INCIDENT_ID);
        if (holder == null) {
            return new Claim.Won(candidateId);
        }
        return new Claim.Held(holder, Attr.number(old, HITS, 0), Attr.instantMillis(old, CLAIMED_AT_MS),
                Attr.bytes(old, ALERT), Attr.instantMillis(old, REPEAT_DUE_MS), old.containsKey(RECORDED));
    }

    /** The claim item as it stands (a consistent read), if there is one. */
    public Optional<ClaimState> state(String dedupKey) {
        var item = dynamo.getItem(GetItemRequest.builder()
                .tableName(settings.tableName()).key(claimKey(dedupKey)).consistentRead(true).build()).item();
        if (item == null || item.isEmpty() || Attr.string(item, INCIDENT_ID) == null) {
            return Optional.empty();
        }
        return Optional.of(new ClaimState(Attr.string(item, INCIDENT_ID), item.containsKey(CLOSED),
                !item.containsKey(REPEAT_DUE_MS), ClaimCount.of(item), Attr.instantMillis(item, CLAIMED_AT_MS),
                Attr.bytes(item, ALERT)));
    }

    /**
     * Counts this alert on the key's claim only if the claim holds an incident that is not closed, in this format: one
     * UpdateItem, the claim as it was coming back; empty (nothing written) when there is no such claim. Never opens
     * a claim: for an alert of another key space joining the incident it already has here (see {@code SharedKeys}).
     */
    public Optional<Claim.Held> join(String dedupKey, Instant now) {
        Map<String, AttributeValue> old;
        try {
            old = dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(settings.tableName())
                    .key(claimKey(dedupKey))
                    .updateExpression("SET #ttl = :ttl, #seen = :now ADD #hits :one")
                    .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#closed) AND "
                            + "attribute_exists(#due)")
                    .expressionAttributeNames(Map.of("#id", INCIDENT_ID, "#ttl", TableSchema.TTL_ATTRIBUTE,
                            "#seen", LAST_SEEN_MS, "#hits", HITS, "#closed", CLOSED, "#due", REPEAT_DUE_MS))
                    .expressionAttributeValues(Map.of(":ttl", n(now.plus(CLAIM_RETENTION).getEpochSecond()),
                            ":now", n(now.toEpochMilli()), ":one", n(1)))
                    .returnValues(ReturnValue.ALL_OLD)
                    .build()).attributes();
        } catch (ConditionalCheckFailedException noneOpen) {
            return Optional.empty();
        }
        return Optional.of(new Claim.Held(Attr.string(old, INCIDENT_ID), Attr.number(old, HITS, 0),
                Attr.instantMillis(old, CLAIMED_AT_MS), Attr.bytes(old, ALERT), Attr.instantMillis(old, REPEAT_DUE_MS),
                old.containsKey(RECORDED)));
    }

    /**
     * Deletes a claim this alert has just opened with {@code candidateId}, if no other alert was counted on it yet
     * (one conditional DeleteItem): whether it was deleted.
     */
    public boolean release(String dedupKey, String candidateId) {
        try {
            dynamo.deleteItem(DeleteItemRequest.builder()
                    .tableName(settings.tableName())
                    .key(claimKey(dedupKey))
                    .conditionExpression("#id = :id AND #hits = :one")
                    .expressionAttributeNames(Map.of("#id", INCIDENT_ID, "#hits", HITS))
                    .expressionAttributeValues(Map.of(":id", s(candidateId), ":one", n(1)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException joinedMeanwhile) {
            return false;
        }
    }

    /**
     * The key's incident {@code closedIncidentId} is resolved: this alert opens a new one with {@code candidateId}
     * (one PutItem, on the condition that the claim still holds the resolved incident, ALL_OLD: the resolved
     * incident's final count comes back). With a null {@code closedIncidentId}, whatever incident a closed claim holds.
     * Empty if the condition failed (a concurrent alert reopened it first, or the claim is not closed).
     */
    public Optional<Reopened> reopen(String dedupKey, String closedIncidentId, String candidateId,
            byte[] alert, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(claimKey(dedupKey));
        item.put(INCIDENT_ID, s(candidateId));
        item.put(TableSchema.TTL_ATTRIBUTE, n(now.plus(CLAIM_RETENTION).getEpochSecond()));
        item.put(CLAIMED_AT_MS, n(now.toEpochMilli()));
        item.put(LAST_SEEN_MS, n(now.toEpochMilli()));
        item.put(ALERT, b(alert));
        item.put(DEDUP_KEY, s(dedupKey));
        item.put(HITS, n(1));
        item.putAll(leaseEnd(now, candidateId).attributes());
        item.put(WINDOW_END_MS, n(now.plus(settings.dedupWindow()).toEpochMilli()));
        item.put(REPEAT_DUE_MS, n(now.plus(settings.dedupWindow()).toEpochMilli()));
        try {
            var old = dynamo.putItem(PutItemRequest.builder()
                    .tableName(settings.tableName())
                    .item(item)
                    .conditionExpression(closedIncidentId == null ? "attribute_exists(#closed)" : "#id = :closed")
                    .expressionAttributeNames(closedIncidentId == null ? Map.of("#closed", CLOSED)
                            : Map.of("#id", INCIDENT_ID))
                    .expressionAttributeValues(closedIncidentId == null ? null
                            : Map.of(":closed", s(closedIncidentId)))
                    .returnValues(ReturnValue.ALL_OLD)
                    .build()).attributes();
            return Optional.of(new Reopened(candidateId, ClaimCount.of(old)));
        } catch (ConditionalCheckFailedException reopenedByAnother) {
            return Optional.empty();
        }
    }

    /**
     * Marks the claim of {@code dedupKey} closed if it still holds {@code incidentId} (just resolved): from now on it
     * counts nothing more for it, and the next alert of the key opens a new incident. One UpdateItem; the claim's final
     * count comes back (empty when the claim holds another incident, or none).
     */
    public Optional<ClaimCount> close(String dedupKey, String incidentId) {
        try {
            var item = dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(settings.tableName())
                    .key(claimKey(dedupKey))
                    .updateExpression("SET #closed = :id")
                    .conditionExpression("#id = :id")
                    .expressionAttributeNames(Map.of("#id", INCIDENT_ID, "#closed", CLOSED))
                    .expressionAttributeValues(Map.of(":id", s(incidentId)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .build()).attributes();
            return Optional.of(ClaimCount.of(item));
        } catch (ConditionalCheckFailedException heldByAnotherOrNone) {
            return Optional.empty();
        }
    }

    /**
     * Records on the claim what an alert learnt from the incident: it is recorded, and the next repeat (or look) is due
     * at {@code nextDue}; also upgrades a claim in the previous format. Only while the claim holds {@code incidentId}
     * unclosed. The due time is a hint: one set too early by a racing alert costs an extra look, never a second
     * forward (the forward is conditional on the incident's own due time).
     */
    public void checked(String dedupKey, String incidentId, Instant nextDue, boolean recorded) {
        String set = "SET #due = :due" + (recorded ? ", #rec = :t" : "");
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":id", s(incidentId),
                ":due", n(nextDue.toEpochMilli())));
        Map<String, String> names = new HashMap<>(Map.of("#id", INCIDENT_ID, "#due", REPEAT_DUE_MS,
                "#closed", CLOSED));
        if (recorded) {
            values.put(":t", Attr.bool(true));
            names.put("#rec", RECORDED);
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(settings.tableName())
                    .key(claimKey(dedupKey))
                    .updateExpression(set)
                    .conditionExpression("#id = :id AND attribute_not_exists(#closed)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .build());
        } catch (ConditionalCheckFailedException closedOrReopened) {
            // the claim was closed or reopened meanwhile: nothing to record
        }
    }

    /**
     * The claim's entry in the {@code claims} index: when its lease ends, then the incident id. The sweep reads the
     * claims whose lease has ended and finishes those whose incident was never written (the invocation died):
     * {@link ClaimIndex}.
     */
    IndexEntry leaseEnd(Instant claimedAt, String incidentId) {
        return IndexEntry.claimLeaseEnd(claimedAt.plus(settings.ingest().claimLease()), incidentId);
    }
}
