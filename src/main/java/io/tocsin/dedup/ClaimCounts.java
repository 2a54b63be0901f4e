package io.tocsin.dedup;

import static io.tocsin.dedup.DedupStore.DEDUP_KEY;
import static io.tocsin.dedup.DedupStore.HITS;
import static io.tocsin.dedup.DedupStore.INCIDENT_ID;
import static io.tocsin.dedup.DedupStore.LAST_SEEN_MS;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.dedup.DedupStore.ClaimCount;
import io.tocsin.store.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The duplicate counts of many dedup claims at once, for the incidents read with their counts folded in
 * ({@code DuplicateFold}): what each claim holds and has counted. The claims themselves are {@link DedupStore}'s.
 */
@Singleton
public class ClaimCounts {

    /** Unprocessed keys settle within a couple of rounds; more means something is wrong. */
    private static final int MAX_ROUNDS = 8;

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public ClaimCounts(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /**
     * The claims of {@code dedupKeys} (consistent reads: a GetItem for one, else BatchGetItem in pages of
     * {@value #BATCH}): what each holds and has counted.
     */
    public Map<String, ClaimCount> counts(Collection<String> dedupKeys) {
        Map<String, ClaimCount> found = new HashMap<>();
        List<String> keys = new ArrayList<>(new LinkedHashSet<>(dedupKeys));
        if (keys.size() == 1) { // one incident read: a plain GetItem
            var item = dynamo.getItem(GetItemRequest.builder()
                    .tableName(settings.tableName()).key(DedupStore.claimKey(keys.get(0))).consistentRead(true)
                    .projectionExpression("#id, #hits, #seen")
                    .expressionAttributeNames(Map.of("#id", INCIDENT_ID, "#hits", HITS, "#seen", LAST_SEEN_MS))
                    .build()).item();
            if (item != null && Attr.string(item, INCIDENT_ID) != null) {
                found.put(keys.get(0), ClaimCount.of(item));
            }
            return found;
        }
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<Map<String, AttributeValue>> batch = keys.subList(from, Math.min(keys.size(), from + BATCH))
                    .stream().map(DedupStore::claimKey).toList();
            Map<String, KeysAndAttributes> pending = Map.of(
                    settings.tableName(), KeysAndAttributes.builder()
                            .keys(batch).consistentRead(true)
                            .projectionExpression("#dk, #id, #hits, #seen")
                            .expressionAttributeNames(Map.of("#dk", DEDUP_KEY, "#id", INCIDENT_ID, "#hits", HITS,
                                    "#seen", LAST_SEEN_MS))
                            .build());
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                var response = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(pending).build());
                response.responses().getOrDefault(settings.tableName(), List.of()).forEach(item -> {
                    if (Attr.string(item, DEDUP_KEY) != null && Attr.string(item, INCIDENT_ID) != null) {
                        found.put(Attr.string(item, DEDUP_KEY), ClaimCount.of(item));
                    }
                });
                if (!response.hasUnprocessedKeys() || response.unprocessedKeys().isEmpty()) {
                    break;
                }
                if (attempt >= MAX_ROUNDS) {
                    throw new IllegalStateException("BatchGetItem left keys unprocessed " + MAX_ROUNDS + " times");
                }
                pending = response.unprocessedKeys();
            }
        }
        return found;
    }

    /** Keys per BatchGetItem: DynamoDB's limit (100 items per request, BatchGetItem API reference). */
    static final int BATCH = 100;
}
