package io.tocsin.incident;

import static io.tocsin.store.Attr.s;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Severity;
import io.tocsin.config.Settings;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Incident history, newest first, through the {@code by-created} index: one Query per UTC day of the range (never a
 * Scan), filters applied by DynamoDB, pages continued with an opaque cursor.
 */
@Singleton
public class IncidentHistory {

    public static final int MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final Duration DEFAULT_RANGE = Duration.ofDays(7);
    /** A request reads at most one partition per day of its range: bound the range. */
    public static final Duration MAX_RANGE = Duration.ofDays(93);

    public record Filter(Set<IncidentStatus> statuses, Severity severity, String source, Instant from, Instant to,
            int limit) {
    }

    public record Page(List<Incident> incidents, String nextCursor) {
    }

    /** A cursor that does not decode, or whose day is outside the request's range. */
    public static class BadCursor extends RuntimeException {
        public BadCursor() {
            super("is not a cursor returned by this function");
        }

        BadCursor(String message) {
            super(message);
        }
    }

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final DuplicateFold fold;
    private final java.time.Clock clock;

    @Inject
    public IncidentHistory(DynamoDbClient dynamo, Settings settings, DuplicateFold fold, java.time.Clock clock) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.fold = fold;
        this.clock = clock;
    }

    public Page list(Filter filter, String cursor) {
        LocalDate firstDay = LocalDate.ofInstant(filter.from(), ZoneOffset.UTC);
        LocalDate day = LocalDate.ofInstant(filter.to(), ZoneOffset.UTC);
        Map<String, AttributeValue> startKey = null;
        if (cursor != null) {
            Cursor decoded = Cursor.decode(cursor);
            if (decoded.day().isAfter(day) || decoded.day().isBefore(firstDay)) {
                // the day comes from the caller: one outside the range would cost a Query per day up to it
                throw new BadCursor("is for " + decoded.day() + ", outside the range " + firstDay + " to " + day
                        + " (a cursor continues the request it came from, with the same from and to)");
            }
            day = decoded.day();
            startKey = decoded.startKey();
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Instant now = clock.instant();
        Map<String, AttributeValue> lastReturned = null;
        LocalDate lastDay = null;
        while (!day.isBefore(firstDay) && items.size() < filter.limit()) {
            Map<String, AttributeValue> next = startKey;
            do {
                var response = dynamo.query(query(filter, day, next));
                for (Map<String, AttributeValue> item : response.items()) {
                    if (items.size() == filter.limit()) {
                        break;
                    }
                    if (TableSchema.expired(item, now)) {
                        continue; // past its retention: gone, whether DynamoDB deleted it yet or not
                    }
                    items.add(item);
                    lastReturned = item;
                    lastDay = day;
                }
                next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
            } while (next != null && items.size() < filter.limit());
            startKey = null;
            if (items.size() < filter.limit()) {
                day = day.minusDays(1);
            }
        }
        boolean more = items.size() == filter.limit() && lastReturned != null;
        List<Incident> page = fold.fold(items).stream().map(IncidentItems::fromItem).toList();
        return new Page(page, more ? new Cursor(lastDay, lastReturned, true).encode() : null);
    }

    /**
     * Every incident (suppressed records included) created in [from, to], oldest first, for figures over a window:
     * one Query per UTC day of the range, paged by DynamoDB alone (up to 1 MB a page, no item limit), so the cost is
     * the window's own items and nothing outside it.
     */
    public List<Incident> all(Instant from, Instant to) {
        Filter filter = new Filter(Set.of(), null, null, from, to, 0);
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Instant now = clock.instant();
        LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(last); day = day.plusDays(1)) {
            QueryRequest request = queryBuilder(filter, day).scanIndexForward(true).build();
            dynamo.queryPaginator(request).items().forEach(item -> {
                if (!TableSchema.expired(item, now)) {
                    found.add(item); // an incident past its retention is skipped (the rollups keep its figures)
                }
            });
        }
        // the open incidents' duplicates are counted on their claims: folded in (DuplicateFold)
        return fold.fold(found).stream().map(IncidentItems::fromItem).toList();
    }

    private QueryRequest query(Filter filter, LocalDate day, Map<String, AttributeValue> startKey) {
        QueryRequest.Builder builder = queryBuilder(filter, day).scanIndexForward(false).limit(filter.limit() + 1);
        if (startKey != null) {
            builder.exclusiveStartKey(startKey);
        }
        return builder.build();
    }

    private QueryRequest.Builder queryBuilder(Filter filter, LocalDate day) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#pk", TableSchema.GSI_CREATED_PK);
        names.put("#sk", TableSchema.GSI_CREATED_SK);
        values.put(":day", s(IndexEntry.createdPartition(day)));
        values.put(":from", s(Instants.format(filter.from())));
        values.put(":to", s(IndexEntry.through(filter.to())));
        List<String> conditions = new ArrayList<>();
        if (!filter.statuses().isEmpty()) {
            names.put("#status", IncidentItems.STATUS);
            List<String> any = new ArrayList<>();
            int i = 0;
            for (IncidentStatus status : filter.statuses()) {
                values.put(":st" + i, s(status.wire()));
                any.add(":st" + i++);
            }
            conditions.add("#status IN (" + String.join(", ", any) + ")");
        }
        if (filter.severity() != null) {
            names.put("#severity", IncidentItems.SEVERITY);
            values.put(":severity", s(filter.severity().wire()));
            conditions.add("#severity = :severity");
        }
        if (filter.source() != null) {
            names.put("#source", IncidentItems.SOURCE);
            values.put(":source", s(filter.source()));
            conditions.add("#source = :source");
        }
        var builder = QueryRequest.builder()
                .tableName(settings.tableName())
                .indexName(TableSchema.GSI_CREATED)
                .keyConditionExpression("#pk = :day AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values);
        if (!conditions.isEmpty()) {
            builder.filterExpression(String.join(" AND ", conditions));
        }
        return builder;
    }

    /** Where a page ended: the day partition and the key of the last incident returned. */
    record Cursor(LocalDate day, Map<String, AttributeValue> startKey) {

        Cursor(LocalDate day, Map<String, AttributeValue> item, boolean fromItem) {
            this(day, Map.of(TableSchema.PK, item.get(TableSchema.PK), TableSchema.SK, item.get(TableSchema.SK),
                    TableSchema.GSI_CREATED_PK, item.get(TableSchema.GSI_CREATED_PK),
                    TableSchema.GSI_CREATED_SK, item.get(TableSchema.GSI_CREATED_SK)));
        }

        String encode() {
            String sortKey = startKey.get(TableSchema.GSI_CREATED_SK).s();
            String raw = day + "|" + sortKey;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int bar = raw.indexOf('|');
                LocalDate day = LocalDate.parse(raw.substring(0, bar));
                String sortKey = raw.substring(bar + 1);
                String id = sortKey.substring(sortKey.indexOf('#') + 1);
                if (id.isEmpty() || !sortKey.startsWith(day.toString())) {
                    throw new BadCursor();
                }
                return new Cursor(day, Map.of(TableSchema.PK, s(IncidentStore.partitionKey(id)),
                        TableSchema.SK, s(IncidentStore.SK_META), TableSchema.GSI_CREATED_PK, s(IndexEntry.createdPartition(day)),
                        TableSchema.GSI_CREATED_SK, s(sortKey)));
            } catch (RuntimeException e) {
                throw new BadCursor();
            }
        }
    }
}
