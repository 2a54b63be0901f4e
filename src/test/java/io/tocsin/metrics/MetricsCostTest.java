package io.tocsin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.Severity;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.IncidentStore;
import io.tocsin.store.DynamoRequestMeter;

/**
 * What metrics over one day cost with 1,000 incidents in the window and 20,000 outside it (the 20 days before and the
 * day after): DynamoDB evaluates exactly the window's 1,000 items, through Queries of the {@code by-created} index and
 * nothing else. Its own application start, so that no other test's incidents fall in the window.
 */
@QuarkusTest
@TestProfile(MetricsCostTest.OwnTable.class)
class MetricsCostTest {

    public static class OwnTable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pagerduty.enabled", "false");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN_WINDOW = 1_000;
    private static final int OUTSIDE = 20_000;

    @Inject
    IncidentStore incidents;
    @Inject
    io.tocsin.incident.IncidentWrites writes;
    @Inject
    MetricsFunction metrics;

    private void incident(Severity severity, Instant at) {
        String id = UUID.randomUUID().toString();
        Alert alert = new Alert(severity, "cost " + id, "", "cost-fixture", JSON.createObjectNode(), "k-" + id,
                false, null, at);
        writes.recordTriggered(id, alert, AlertCodec.encode(alert),
                io.tocsin.support.Outboxes.trigger(new Delivery(DeliveryState.DELIVERED, 1, 202, List.of(), null, false), at), at);
    }

    @Test
    void metricsOverADayReadOnlyThatDay() throws Exception {
        // 12:00 to 12:00: the window spans two UTC day partitions, each also holding incidents outside the window.
        Instant from = Instant.parse("2028-05-10T12:00:00Z");
        Instant to = from.plus(Duration.ofHours(24));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < IN_WINDOW; i++) {
            Instant at = from.plusSeconds(30 + i * 86L); // 30 s … 23 h 59 min after the start
            Severity severity = i % 10 == 0 ? Severity.CRITICAL : Severity.HIGH;
            work.add(pool.submit(() -> incident(severity, at)));
        }
        for (int i = 0; i < OUTSIDE; i++) {
            // the 20 days before the window (the first day's morning included), and the morning after it
            Instant at = i % 20 == 0 ? to.plusSeconds(1 + i % 40_000)
                    : from.minus(Duration.ofDays(i % 20)).minusSeconds(1 + i % 43_000);
            work.add(pool.submit(() -> incident(Severity.LOW, at)));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();

        var measured = DynamoRequestMeter.measure(() -> metrics.metrics(JSON.createObjectNode()
                .put("from", from.toString()).put("to", to.toString())));
        JsonNode answer = measured.result();
        Map<String, Integer> requests = measured.requests();
        System.out.printf("Metrics over one day, %,d incidents in the window and %,d outside: %s, %d items evaluated%n",
                IN_WINDOW, OUTSIDE, requests, measured.itemsScanned());

        assertEquals(IN_WINDOW, answer.path("total_incidents").asInt(), answer.toString());
        assertEquals(IN_WINDOW / 10, answer.path("by_severity").path("critical").asInt(), answer.toString());
        assertEquals(0, answer.path("by_severity").path("low").asInt(), "nothing from outside the window");
        // no rollups in this table (no sweep ran): the old way, every incident of the window, plus the rollup state
        // and the claims of the open incidents (their duplicate counts, DuplicateFold), 100 per BatchGetItem
        assertEquals(Map.of("GetItem", 1, "Query", requests.get("Query"), "BatchGetItem", IN_WINDOW / 100), requests,
                "the rollups' state, index Queries and the open incidents' claims: no Scan");
        assertEquals(IN_WINDOW, measured.itemsScanned(), "DynamoDB evaluated the window's items and no other");
        assertTrue(requests.get("Query") <= 6, "two day partitions, a few 1 MB pages at most: " + requests);
    }
}
