package io.tocsin.bench;

import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.config.Settings;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.store.Attr;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.store.TableSchema;
import io.tocsin.support.PagerDutyFake;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * An alert storm (issue 14, part 4; BENCHMARKS.md "Alert storm"): 10,000 alerts over 10 dedup keys from 8 threads
 * through {@code IngestPipeline.ingest}, PagerDuty on and faked at HTTP (WireMock), dynalite, a clock that stands still
 * (every alert inside its key's window). Checks what a storm must give: exactly 10 incidents, exactly 10 PagerDuty
 * triggers, every other alert suppressed as a duplicate of its key's incident and counted there. Reports the DynamoDB
 * requests per alert by operation, and the storm's throughput next to raw conditional PutItems of the same number of
 * items, same threads, same client, in the same run (interleaved chunks). Asserts no time.
 *
 * <p>Knobs: {@code -Dbench.storm.n} (default 10000), {@code -Dbench.storm.keys} (10), {@code -Dbench.storm.threads}
 * (8), {@code -Dbench.storm.rounds} (interleaved chunks, 4).
 */
@QuarkusTest
@Tag("bench")
class StormBenchTest {

    private static final List<String> OPERATIONS = List.of("GetItem", "PutItem", "UpdateItem", "Query", "DeleteItem",
            "BatchWriteItem", "Scan");

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;

    @Test
    void tenThousandAlertsOverTenKeysFromEightThreads() throws Exception {
        int n = BenchSupport.intProperty("bench.storm.n", 10_000);
        int keys = BenchSupport.intProperty("bench.storm.keys", 10);
        int threads = BenchSupport.intProperty("bench.storm.threads", 8);
        int rounds = BenchSupport.intProperty("bench.storm.rounds", 4);
        String run = UUID.randomUUID().toString().substring(0, 8);

        // warm-up (JIT, connections, dynalite) on keys of their own, then forget what PagerDuty saw
        storm("storm-warmup-" + run, 400, keys, threads, 0, 400, new ConcurrentHashMap<>());
        raw("raw-warmup-" + run, threads, 0, 400);
        PagerDutyFake.reset();

        String before = BenchSupport.machine();
        Map<String, Long> requestsBefore = totals();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<BenchSupport.Run> stormChunks = new ArrayList<>();
        List<BenchSupport.Run> rawChunks = new ArrayList<>();
        Map<String, Long> stormRequests = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) { // interleaved: a change of load on this shared machine hits both
            int from = n * r / rounds;
            int to = n * (r + 1) / rounds;
            Map<String, Long> start = totals();
            stormChunks.add(storm("storm-" + run, n, keys, threads, from, to, outcomes));
            Map<String, Long> end = totals();
            end.forEach((op, count) -> stormRequests.merge(op, count - start.get(op), Long::sum));
            rawChunks.add(raw("raw-" + run, threads, from, to));
        }
        String after = BenchSupport.machine();
        BenchSupport.Run storm = BenchSupport.Run.merge(stormChunks);
        BenchSupport.Run raw = BenchSupport.Run.merge(rawChunks);

        Set<String> incidentIds = outcomes.keySet().stream().filter(k -> k.startsWith("created:"))
                .map(k -> k.substring("created:".length())).collect(java.util.stream.Collectors.toSet());
        int created = incidentIds.size();
        int duplicates = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("duplicate:"))
                .mapToInt(e -> e.getValue().get()).sum();
        long triggers = PagerDutyFake.events().stream()
                .filter(r -> "trigger".equals(PagerDutyFake.json(r).path("event_action").asText())).count();
        long counted = 0;
        for (String id : incidentIds) {
            counted += incidents.findWithDuplicates(id).orElseThrow().duplicateCount();
        }
        assertEquals(keys, created, "exactly one incident per key: " + outcomes.keySet());
        assertEquals(n - keys, duplicates, "every other alert is a duplicate of its key's incident");
        assertEquals(Set.of(), outcomes.keySet().stream().filter(k -> k.startsWith("duplicate:"))
                .map(k -> k.substring("duplicate:".length())).filter(id -> !incidentIds.contains(id))
                .collect(java.util.stream.Collectors.toSet()), "duplicates of an incident no alert created");
        assertEquals(keys, triggers, "exactly one PagerDuty trigger per key");
        assertEquals(n - keys, counted, "the incidents' duplicate counts add up to the duplicates");
        Map<String, Long> total = new LinkedHashMap<>();
        totals().forEach((op, count) -> {
            if (count - requestsBefore.get(op) > 0) {
                total.put(op, count - requestsBefore.get(op));
            }
        });

        StringBuilder report = new StringBuilder("\n=== BENCH alert storm: " + n + " alerts over " + keys + " keys, "
                + threads + " threads (IngestPipeline.ingest, dynalite, PagerDuty on via WireMock) ===\n");
        report.append("machine before: ").append(before).append('\n');
        report.append("machine after:  ").append(after).append('\n');
        report.append(BenchSupport.Run.header()).append('\n');
        report.append(storm.row()).append('\n');
        report.append(raw.row()).append('\n');
        StringBuilder perAlert = new StringBuilder();
        stormRequests.forEach((op, count) -> {
            if (count > 0) {
                perAlert.append(String.format(Locale.ROOT, " %s=%.3f", op, count / (double) n));
            }
        });
        report.append(String.format(Locale.ROOT, "incidents=%d triggers=%d duplicates=%d counted_on_incidents=%d%n",
                created, triggers, duplicates, counted));
        report.append(String.format(Locale.ROOT, "BENCH storm alerts=%d keys=%d threads=%d incidents=%d triggers=%d "
                + "requests_per_alert=%.3f%s alerts_per_s=%.0f raw_put_per_s=%.0f raw_over_storm=%.2f%n", n, keys,
                threads, created, triggers, stormRequests.values().stream().mapToLong(Long::longValue).sum() / (double) n,
                perAlert, storm.perSecond(), raw.perSecond(), raw.perSecond() / storm.perSecond()));
        report.append("DynamoDB requests in the measured part (storm and raw): ").append(total).append('\n');
        BenchSupport.print(report.toString());
    }

    /** Alerts {@code from..to} of a storm: alert i has key i % keys; each outcome counted by incident id. */
    private BenchSupport.Run storm(String prefix, int n, int keys, int threads, int from, int to,
            Map<String, AtomicInteger> outcomes) throws Exception {
        ObjectNode[] perKey = new ObjectNode[keys];
        for (int k = 0; k < keys; k++) {
            perKey[k] = BenchSupport.alert(prefix, k);
        }
        long[] sizes = new long[keys];
        for (int k = 0; k < keys; k++) {
            sizes[k] = perKey[k].toString().length();
        }
        return BenchSupport.run("storm (ingest)", threads, from, to, i -> {
            ObjectNode event = perKey[i % keys].deepCopy();
            IngestResult result = pipeline.ingest(event, sizes[i % keys]);
            String outcome;
            if (result instanceof IngestResult.Created c) {
                outcome = "created:" + c.incidentId();
            } else if (result instanceof IngestResult.Suppressed d && d.reason() == SuppressionReason.DUPLICATE) {
                outcome = "duplicate:" + d.incidentId();
            } else {
                throw new AssertionError("alert " + i + ": " + result);
            }
            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
        });
    }

    /** Raw conditional PutItems of distinct items of a stored alert's size, the reference of the same run. */
    private BenchSupport.Run raw(String prefix, int threads, int from, int to) throws Exception {
        byte[] payload = new byte[512];
        new Random(14).nextBytes(payload);
        String table = settings.tableName();
        return BenchSupport.run("raw conditional put", threads, from, to, i -> {
            Map<String, AttributeValue> item = new HashMap<>(Attr.key("BENCHRAW#" + prefix + "#" + i, "CLAIM"));
            item.put("alert", b(payload));
            item.put("hits", n(1));
            item.put("dedup_key", s(prefix + "/" + i));
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", TableSchema.PK)).build());
        });
    }

    private static Map<String, Long> totals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (String op : OPERATIONS) {
            totals.put(op, DynamoRequestMeter.total(op));
        }
        return totals;
    }
}
