package io.tocsin.metrics;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.config.Settings;
import io.tocsin.incident.DuplicateFold;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.store.Attr;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The items the metrics rollups are made of, written by the fold ({@link Rollups}) and read by the figures
 * ({@link RollupFigures}): the hourly items {@code pk=ROLLUP, sk=H#<UTC hour>} (a batch's share added to an hour once,
 * under its version), and the closures of the closed index (the {@code CLOSED#<UTC day>} partitions of the
 * {@code escalation-due} index) with their duplicate counts folded in.
 */
@Singleton
public class RollupItems {

    private static final Logger LOG = Logger.getLogger(RollupItems.class);

    static final String HOUR_PREFIX = "H#";
    static final String SUMS = "sums";
    static final String APPLIED = "applied";
    static final String VERSION = "ver";

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final DuplicateFold duplicates;

    @Inject
    public RollupItems(DynamoDbClient dynamo, Settings settings, DuplicateFold duplicates) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.duplicates = duplicates;
    }

    /** An hour's rollup item: its sums, and the end of the last batch added to it. */
    record Hour(FigureSums sums, String applied, long version) {
    }

    /** A closure from the closed index. */
    record Closure(String sortKey, Incident incident) {
    }

    /** Adds a batch's share to an hour once: false when that batch was already added (a rerun). */
    boolean addToHour(Instant hour, FigureSums share, String batchEnd) {
        for (int round = 0; round < 20; round++) {
            var key = Attr.key(Rollups.PARTITION, hourKey(hour));
            var item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName()).key(key)
                    .consistentRead(true).build()).item();
            Hour current = item == null || item.isEmpty() ? null : hour(item);
            if (current != null && current.applied() != null && current.applied().compareTo(batchEnd) >= 0) {
                return false;
            }
            FigureSums sums = current == null ? new FigureSums() : current.sums();
            sums.merge(share);
            Map<String, AttributeValue> next = new LinkedHashMap<>(key);
            next.put(SUMS, s(sums.encode()));
            next.put(APPLIED, s(batchEnd));
            long version = current == null ? 0 : current.version();
            next.put(VERSION, n(version + 1));
            try {
                dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(next)
                        .conditionExpression(current == null ? "attribute_not_exists(#pk)" : "#v = :v")
                        .expressionAttributeNames(current == null ? Map.of("#pk", TableSchema.PK)
                                : Map.of("#v", VERSION))
                        .expressionAttributeValues(current == null ? null : Map.of(":v", n(version)))
                        .build());
                return true;
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                // an overlapping sweep wrote this hour: read it again (it may have added this very batch)
            }
        }
        throw new IllegalStateException("Could not add to the rollup of " + hour + " after 20 rounds of contention");
    }

    /**
     * The closures with a sort key in (after, upTo], oldest first, at most {@code limit}, one Query per UTC day
     * partition; null when the index is still being built (kept from the claims pass: an index added by a stack
     * update refuses Queries while it backfills).
     */
    List<Closure> closures(String after, String upTo, int limit) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        LocalDate last = day(upTo);
        try {
            for (LocalDate day = day(after); !day.isAfter(last) && found.size() < limit; day = day.plusDays(1)) {
                var request = QueryRequest.builder().tableName(settings.tableName())
                        .indexName(TableSchema.Index.ESCALATION_DUE.name())
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :after AND :to")
                        .expressionAttributeNames(Map.of("#pk", TableSchema.Index.ESCALATION_DUE.hashKey(),
                                "#sk", TableSchema.Index.ESCALATION_DUE.rangeKey()))
                        .expressionAttributeValues(Map.of(":pk", s(IndexEntry.closedPartition(day)), ":after",
                                s(after + (char) 0), ":to", s(upTo)))
                        .limit(limit == Integer.MAX_VALUE ? null : Math.min(limit - found.size(), Rollups.BATCH))
                        .build();
                var items = dynamo.queryPaginator(request).items().iterator();
                while (items.hasNext() && found.size() < limit) {
                    found.add(items.next());
                }
            }
        } catch (DynamoDbException notReadable) {
            if (String.valueOf(notReadable.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("backfilling")) {
                LOG.warnf("The closed index is still being built; rollups wait until it is ACTIVE");
                return null;
            }
            throw notReadable;
        }
        // a closure whose resolve died before folding its claim's duplicate count in still says duplicates_unfolded:
        // its count comes from the claim, as on every read (DuplicateFold)
        List<Closure> closures = new ArrayList<>(found.size());
        for (Map<String, AttributeValue> item : duplicates.fold(found)) {
            closures.add(new Closure(Attr.string(item, TableSchema.GSI_ESCALATION_SK), IncidentStore.decode(item)));
        }
        return closures;
    }

    /** The hourly items of [a, b): one Query of the rollup partition (pages of 1 MB). */
    Map<Instant, Hour> hours(Instant a, Instant b) {
        Map<Instant, Hour> found = new TreeMap<>();
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :a AND :b")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#sk", TableSchema.SK))
                .expressionAttributeValues(Map.of(":pk", s(Rollups.PARTITION), ":a", s(hourKey(a)),
                        ":b", s(hourKey(b.minus(Duration.ofHours(1))))))
                .build();
        dynamo.queryPaginator(request).items().forEach(item -> found.put(hourOf(Attr.string(item, TableSchema.SK)),
                hour(item)));
        return found;
    }

    private static Hour hour(Map<String, AttributeValue> item) {
        return new Hour(FigureSums.decode(Attr.string(item, SUMS)), Attr.string(item, APPLIED),
                Attr.number(item, VERSION, 0));
    }

    static String hourKey(Instant hour) {
        return HOUR_PREFIX + Instants.format(hour).substring(0, 13);
    }

    private static Instant hourOf(String sortKey) {
        return Instant.parse(sortKey.substring(HOUR_PREFIX.length()) + ":00:00Z");
    }

    static LocalDate day(String sortKey) {
        return LocalDate.parse(sortKey.substring(0, 10));
    }
}