package io.tocsin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.Severity;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/** Metrics against a hand-computed fixture, on a day no other test uses. */
@QuarkusTest
class MetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2028-03-03T10:00:00Z");

    @Inject
    MetricsFunction function;
    @Inject
    IncidentStore incidents;
    @Inject
    io.tocsin.incident.IncidentWrites writes;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    MutableClock clock;

    private String incident(Severity severity, String source, Delivery delivery) {
        String id = UUID.randomUUID().toString();
        Alert alert = new Alert(severity, "fixture", "", source, JSON.createObjectNode(), "k-" + id, false, null, T0);
        writes.recordTriggered(id, alert, AlertCodec.encode(alert),
                io.tocsin.support.Outboxes.trigger(delivery, T0), T0);
        return id;
    }

    @Test
    void figuresMatchTheHandComputedFixture() {
        PagerDutyFake.reset();
        Delivery delivered = new Delivery(DeliveryState.DELIVERED, 1, 202, List.of(), null, false);
        int[] ackMinutes = { 1, 2, 3, 4, 10 };
        int[] resolveMinutes = { 10, 20, 30, 40, 100 };
        String[] sources = { "api", "api", "api", "db", "cache" };
        for (int i = 0; i < 5; i++) {
            String id = incident(i == 0 ? Severity.CRITICAL : Severity.HIGH, sources[i], delivered);
            clock.set(T0.plus(Duration.ofMinutes(ackMinutes[i])));
            lifecycle.acknowledge(id, "alice");
            clock.set(T0.plus(Duration.ofMinutes(resolveMinutes[i])));
            lifecycle.resolve(id, "fixed", "alice");
        }
        String open = incident(Severity.LOW, "db",
                new Delivery(DeliveryState.FAILED, 1, 400, List.of("HTTP 400"), null, false));
        writes.foldDuplicates(open, new io.tocsin.dedup.DedupStore.ClaimCount(open, 3, T0.plusSeconds(30)));
        Alert quiet = new Alert(Severity.MEDIUM, "during maintenance", "", "db", JSON.createObjectNode(), "q", false,
                null, T0);
        writes.recordSuppressed(UUID.randomUUID().toString(), quiet, AlertCodec.encode(quiet),
                SuppressionReason.MAINTENANCE, "w-1", T0.plusSeconds(60));

        clock.set(T0.plus(Duration.ofHours(3)));
        JsonNode m = function.metrics(JSON.createObjectNode());
        assertEquals(6, m.path("total_incidents").asInt());
        assertEquals(1, m.path("active_incidents").asInt());
        assertEquals(5, m.path("acknowledged_incidents").asInt());
        assertEquals(5, m.path("resolved_incidents").asInt());
        // MTTA: 1, 2, 3, 4, 10 min -> mean 4, p50 (rank 3) 3, p90 (rank 5) 10
        assertEquals(5, m.at("/mtta_minutes/count").asInt());
        assertEquals(4.0, m.at("/mtta_minutes/mean").asDouble());
        assertEquals(3.0, m.at("/mtta_minutes/p50").asDouble());
        assertEquals(10.0, m.at("/mtta_minutes/p90").asDouble());
        // MTTR: 10, 20, 30, 40, 100 min -> mean 40, p50 30, p90 100
        assertEquals(40.0, m.at("/mttr_minutes/mean").asDouble());
        assertEquals(30.0, m.at("/mttr_minutes/p50").asDouble());
        assertEquals(100.0, m.at("/mttr_minutes/p90").asDouble());
        assertEquals(1, m.at("/by_severity/critical").asInt());
        assertEquals(4, m.at("/by_severity/high").asInt());
        assertEquals(1, m.at("/by_severity/low").asInt());
        assertEquals(0, m.at("/by_severity/medium").asInt(), "the suppressed record is not an incident");
        assertEquals(List.of("api", "db", "cache"), fieldNames(m.path("top_sources")));
        assertEquals(3, m.at("/top_sources/api").asInt());
        assertEquals(3, m.at("/suppressed/duplicate").asInt());
        assertEquals(1, m.at("/suppressed/maintenance").asInt());
        assertEquals(1, m.path("delivery_failures").asInt());
    }

    @Test
    void anEmptyWindowGivesZerosAndNulls() {
        JsonNode m = function.metrics(JSON.createObjectNode().put("from", "2029-01-01T00:00:00Z")
                .put("to", "2029-01-02T00:00:00Z"));
        assertEquals(0, m.path("total_incidents").asInt());
        assertTrue(m.at("/mtta_minutes/mean").isNull());
        assertTrue(m.at("/mttr_minutes/p90").isNull());
    }

    @Test
    void badWindowsNameTheField() {
        JsonNode answer = function.metrics(HttpEvents.request("GET", "/metrics", java.util.Map.of(), java.util.Map.of(),
                null).set("queryStringParameters", JSON.createObjectNode().put("from", "yesterday")));
        assertEquals(400, HttpEvents.status(answer));
        assertEquals("from", HttpEvents.body(answer).path("problems").get(0).path("field").asText());
        JsonNode reversed = function.metrics(JSON.createObjectNode().put("from", "2029-01-02T00:00:00Z")
                .put("to", "2029-01-01T00:00:00Z"));
        assertEquals("from", reversed.path("problems").get(0).path("field").asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
