package io.tocsin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.Severity;
import io.tocsin.config.Settings;
import io.tocsin.dashboard.DashboardFilter;
import io.tocsin.dashboard.DashboardPage;
import io.tocsin.dashboard.DashboardView;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.IncidentHistory;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.IncidentWrites;
import io.tocsin.metrics.FigureSums;
import io.tocsin.metrics.Figures;
import io.tocsin.metrics.IncidentMetrics;
import io.tocsin.metrics.Rollups;
import io.tocsin.store.Attr;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.store.TableSchema;
import io.tocsin.summary.DailySummary;
import io.tocsin.summary.SummaryReport;
import io.tocsin.support.MutableClock;
import io.tocsin.time.Deadline;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Long histories (issue 14, part 5; BENCHMARKS.md "Long histories"): 100,000 incidents created in the 14 days before
 * now (resolved, a few open), written with BatchWriteItem as copies of incidents written through IncidentWrites, then
 * folded into the hourly rollups by the sweep's pass. Measures the DynamoDB requests, the bytes the reading thread
 * allocates, the heap the answer keeps, and the time of: a dashboard view, metrics over 93 days, the daily summary's
 * report; and, for comparison, the figures the old way (every incident of the 14 days decoded). Asserts request
 * counts and that the figures equal the old way's (percentiles within the stated bound), no time.
 *
 * <p>Knobs: {@code -Dbench.history.n} (default 100000), {@code -Dbench.history.open} (20).
 */
@QuarkusTest
@Tag("bench")
@TestProfile(LongHistoryBenchTest.OwnTable.class)
class LongHistoryBenchTest {

    public static class OwnTable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return BenchSupport.quarkusOverrides(Map.of("pagerduty.enabled", "false"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SOURCES = { "api", "db", "cache", "queue", "auth" };

    @Inject
    IncidentWrites writes;
    @Inject
    io.tocsin.incident.IncidentTransitions transitions;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;
    @Inject
    Rollups rollups;
    @Inject
    IncidentMetrics metrics;
    @Inject
    IncidentHistory history;
    @Inject
    IncidentStore incidents;
    @Inject
    DashboardPage dashboard;
    @Inject
    DailySummary summary;
    @Inject
    MutableClock clock;

    record Cost<T>(T result, Map<String, Integer> requests, long allocatedBytes, long retainedBytes, long millis) {
        String line() {
            return "requests=" + requests.values().stream().mapToInt(Integer::intValue).sum() + " " + requests
                    + " allocated_mb=" + String.format("%.1f", allocatedBytes / 1e6) + " retained_kb="
                    + retainedBytes / 1000 + " ms=" + millis;
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static <T> Cost<T> cost(Supplier<T> work) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heapBefore = heapAfterGc();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        var measured = DynamoRequestMeter.measure(work);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long retained = Math.max(0, heapAfterGc() - heapBefore);
        return new Cost<>(measured.result(), measured.requests(), allocated, retained, millis);
    }

    /** A resolved incident written through IncidentWrites and IncidentTransitions, read back as stored: the template of the copies. */
    private Map<String, AttributeValue> template(Severity severity, String source, Instant at) {
        String id = UUID.randomUUID().toString();
        Alert alert = new Alert(severity, "long history " + source, "a realistic description of what went wrong",
                source, JSON.createObjectNode().put("host", "web-1").put("region", "eu-west-1"), "k-" + id, false,
                null, at);
        writes.recordTriggered(id, alert, AlertCodec.encode(alert), io.tocsin.support.Outboxes.trigger(
                new Delivery(DeliveryState.DELIVERED, 1, 202, List.of(), null, false), at), at);
        transitions.acknowledge(id, "alice", "looking", at.plusSeconds(60), List.of());
        transitions.resolve(id, "alice", "fixed", at.plusSeconds(600), List.of());
        return dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                .key(Attr.key(IncidentStore.partitionKey(id), IncidentStore.SK_META)).consistentRead(true).build())
                .item();
    }

    /** The template, as incident {@code id} created at {@code created}, acknowledged and resolved when given. */
    private static Map<String, AttributeValue> copy(Map<String, AttributeValue> template, String id, Instant created,
            Instant acknowledged, Instant resolved) {
        Map<String, AttributeValue> item = new HashMap<>(template);
        item.put(TableSchema.PK, Attr.s(IncidentStore.partitionKey(id)));
        item.put("id", Attr.s(id));
        item.put("created_ms", Attr.n(created.toEpochMilli()));
        item.put("created_at", Attr.s(Instants.format(created)));
        item.put("last_seen_ms", Attr.n(created.toEpochMilli()));
        item.put(TableSchema.GSI_CREATED_PK, Attr.s("DAY#" + Instants.day(created)));
        item.put(TableSchema.GSI_CREATED_SK, Attr.s(Instants.format(created) + "#" + id));
        item.put("acknowledged_ms", Attr.n(acknowledged.toEpochMilli()));
        if (resolved != null) {
            item.put("resolved_ms", Attr.n(resolved.toEpochMilli()));
            item.put(TableSchema.GSI_ESCALATION_PK, Attr.s(io.tocsin.store.IndexEntry.closed(resolved, id).partition()));
            item.put(TableSchema.GSI_ESCALATION_SK, Attr.s(io.tocsin.store.IndexEntry.closed(resolved, id).sortKey()));
        } else {
            item.put("status", Attr.s("acknowledged"));
            item.remove("resolved_ms");
            item.remove("resolved_by");
            item.remove("resolution_notes");
            item.remove(TableSchema.GSI_ESCALATION_PK);
            item.remove(TableSchema.GSI_ESCALATION_SK);
            item.put(TableSchema.GSI_OPEN_PK, Attr.s("OPEN"));
            item.put(TableSchema.GSI_OPEN_SK, Attr.s(Instants.format(created) + "#" + id));
        }
        return item;
    }

    @Test
    void aHundredThousandIncidentsInFourteenDays() throws Exception {
        int n = BenchSupport.intProperty("bench.history.n", 100_000);
        int open = BenchSupport.intProperty("bench.history.open", 20);
        System.out.println(BenchSupport.machine());
        Instant t0 = Instant.parse("2033-01-01T00:00:00Z");
        clock.set(t0);
        rollups.fold(t0, Deadline.NONE); // the rollups start (an upgraded deployment, 120 days ago)
        Instant now = t0.plus(Duration.ofDays(120)).plus(Duration.ofHours(12));

        List<Map<String, AttributeValue>> templates = new ArrayList<>();
        for (Severity severity : Severity.values()) {
            for (String source : SOURCES) {
                templates.add(template(severity, source, t0.plus(Duration.ofDays(1))));
            }
        }
        Instant first = now.minus(Duration.ofDays(14));
        long span = Duration.between(first, now.minus(Duration.ofHours(1))).toMillis();
        long writeStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        List<WriteRequest> chunk = new ArrayList<>();
        int foldable = templates.size();
        for (int i = 0; i < n; i++) {
            Instant created = first.plusMillis(span * i / n);
            Instant acknowledged = created.plusSeconds(30 + (i * 7919L) % 3600);
            Instant resolved = i < open ? null : acknowledged.plusSeconds(60 + (i * 104729L) % 14_400);
            if (resolved != null && resolved.isAfter(now.minus(Duration.ofMinutes(1)))) {
                resolved = now.minus(Duration.ofMinutes(1));
            }
            if (resolved != null && !resolved.isAfter(now.minus(Rollups.LAG))) {
                foldable++;
            }
            chunk.add(WriteRequest.builder().putRequest(PutRequest.builder().item(copy(templates.get(i
                    % templates.size()), UUID.randomUUID().toString(), created, acknowledged, resolved)).build())
                    .build());
            if (chunk.size() == 25 || i == n - 1) {
                List<WriteRequest> batch = chunk;
                chunk = new ArrayList<>();
                work.add(pool.submit(() -> {
                    Map<String, List<WriteRequest>> left = Map.of(settings.tableName(), batch);
                    while (!left.isEmpty() && !left.get(settings.tableName()).isEmpty()) {
                        left = dynamo.batchWriteItem(BatchWriteItemRequest.builder().requestItems(left).build())
                                .unprocessedItems();
                    }
                }));
            }
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("BENCH long-history write incidents=%d open=%d seconds=%.1f%n", n, open,
                (System.nanoTime() - writeStart) / 1e9);

        clock.set(now);
        Cost<Rollups.Report> fold = cost(() -> rollups.fold(now, Deadline.NONE));
        System.out.printf("BENCH long-history fold closures=%d hours=%d %s%n", fold.result().folded(),
                fold.result().hoursWritten(), fold.line());
        assertEquals(foldable, fold.result().folded(), "every closure older than the lag folded");

        // the hourly items as stored: their mean size (DynamoDB's item size: names and values in UTF-8)
        long items = 0;
        long bytes = 0;
        for (var item : dynamo.queryPaginator(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                .tableName(settings.tableName()).keyConditionExpression("pk = :pk AND begins_with(sk, :h)")
                .expressionAttributeValues(Map.of(":pk", Attr.s("ROLLUP"), ":h", Attr.s("H#"))).build()).items()) {
            items++;
            for (var e : item.entrySet()) {
                bytes += e.getKey().length() + (e.getValue().s() != null
                        ? e.getValue().s().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        : e.getValue().n().length() / 2 + 1);
            }
        }
        System.out.printf("BENCH long-history rollup-items hours=%d mean_bytes=%d%n", items, bytes / Math.max(1, items));

        Cost<DashboardView> view = cost(() -> dashboard.view(DashboardFilter.NONE));
        System.out.printf("BENCH long-history dashboard incidents=%d %s%n", n, view.line());
        Instant to = now.truncatedTo(ChronoUnit.HOURS);
        Instant from = to.minus(Duration.ofDays(93));
        Cost<Figures> over93 = cost(() -> metrics.compute(from, to));
        System.out.printf("BENCH long-history metrics-93d incidents=%d %s%n", over93.result().counts().total(),
                over93.line());
        Cost<Figures> defaultMetrics = cost(() -> metrics.compute(now.minus(Duration.ofHours(24)), now));
        System.out.printf("BENCH long-history metrics-24h-unaligned incidents=%d %s%n",
                defaultMetrics.result().counts().total(), defaultMetrics.line());
        var config = settings.summaryEmail();
        LocalDate date = DailySummary.dueDate(now, config.time(), config.zone());
        Cost<SummaryReport> report = cost(() -> summary.report(date, now));
        System.out.printf("BENCH long-history summary incidents=%d %s%n", report.result().incidents(), report.line());

        // the old way, for comparison: every incident of the 14 days decoded
        Instant dashboardFrom = LocalDate.ofInstant(now, java.time.ZoneOffset.UTC).minusDays(13)
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Cost<Figures> old = cost(() -> {
            FigureSums sums = new FigureSums();
            history.all(dashboardFrom, now).forEach(sums::add);
            return sums.figures(dashboardFrom, now.plusMillis(1));
        });
        System.out.printf("BENCH long-history old-way-14d incidents=%d %s%n", old.result().counts().total(),
                old.line());

        Figures viaRollups = metrics.compute(dashboardFrom, now.plusMillis(1));
        assertEquals(old.result().counts(), viaRollups.counts());
        assertEquals(old.result().mtta().mean(), viaRollups.mtta().mean(), "exact means");
        assertEquals(old.result().mttr().mean(), viaRollups.mttr().mean(), "exact means");
        assertEquals(old.result().bySeverity(), viaRollups.bySeverity());
        double bound = io.tocsin.metrics.LatencyDigest.RELATIVE_ERROR;
        assertTrue(Math.abs(old.result().mtta().p90() - viaRollups.mtta().p90()) <= old.result().mtta().p90() * bound
                + 0.01, old.result().mtta() + " vs " + viaRollups.mtta());
        assertTrue(Math.abs(old.result().mttr().p50() - viaRollups.mttr().p50()) <= old.result().mttr().p50() * bound
                + 0.01, old.result().mttr() + " vs " + viaRollups.mttr());
        int dashboardRequests = view.requests().values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(dashboardRequests <= 6 + DashboardPage.WINDOW_DAYS, "a dashboard view: " + view.requests());
        // the rollup state and 3 Queries, and one BatchGetItem of the open incidents' dedup claims (their duplicate
        // counts, DuplicateFold: fewer than 100 open here)
        assertEquals(Map.of("GetItem", 1, "Query", 3, "BatchGetItem", 1), over93.requests(), "metrics over 93 days");
    }
}
