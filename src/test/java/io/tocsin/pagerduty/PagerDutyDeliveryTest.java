package io.tocsin.pagerduty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.RecordingSleeper;

/**
 * The trigger as PagerDuty's Events API v2 sees it, and every fault it can answer with. PagerDuty is faked at the
 * HTTP boundary only (WireMock); the incident is always stored, whatever PagerDuty says.
 */
@QuarkusTest
class PagerDutyDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTING_KEY = "R0UTINGKEY0123456789ABCDEFGHIJKL";

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;
    @Inject
    RecordingSleeper sleeper;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
        sleeper.clear();
    }

    private Incident ingest(String severity) {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("severity", severity);
        alert.put("title", "API p99 latency above 2000 ms");
        alert.put("description", "p99 2300 ms over 5 minutes");
        alert.put("source", "edge-" + UUID.randomUUID());
        alert.put("dedup_key", "latency-" + UUID.randomUUID());
        alert.putObject("metadata").put("p99_ms", 2300).putObject("labels").put("team", "edge");
        var created = assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, alert.toString().length()));
        return incidents.findAsStored(created.incidentId()).orElseThrow(() -> new AssertionError("incident not stored"));
    }

    private static void stub(int... statuses) {
        var server = PagerDutyFake.server();
        server.resetAll();
        String state = STARTED;
        for (int i = 0; i < statuses.length; i++) {
            String next = "answer-" + (i + 1);
            String body = switch (statuses[i]) {
                case 202 -> "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}";
                case 400 -> "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
                        + "\"errors\":[\"'payload.summary' is missing or blank\"]}";
                case 429 -> "{\"status\":\"throttle event\",\"message\":\"Requests for this service are arriving too quickly.\"}";
                default -> "upstream error";
            };
            server.stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).inScenario("faults").whenScenarioStateIs(state)
                    .willSetStateTo(next)
                    .willReturn(aResponse().withStatus(statuses[i]).withHeader("Content-Type", "application/json")
                            .withBody(body)));
            state = next;
        }
    }

    @Test
    void theTriggerFollowsTheEventsApiV2ContractFieldByField() {
        Incident incident = ingest("high");
        List<JsonNode> events = PagerDutyFake.eventsFor(incident.id());
        assertEquals(1, events.size());
        JsonNode event = events.get(0);
        assertEquals(ROUTING_KEY, event.path("routing_key").asText());
        assertEquals(32, event.path("routing_key").asText().length());
        assertEquals("trigger", event.path("event_action").asText());
        assertEquals(incident.id(), event.path("dedup_key").asText(), "PagerDuty's dedup_key is our incident id");
        assertTrue(event.path("dedup_key").asText().length() <= 255);
        JsonNode payload = event.path("payload");
        assertEquals("API p99 latency above 2000 ms", payload.path("summary").asText());
        assertEquals(incident.alert().source(), payload.path("source").asText());
        assertEquals("error", payload.path("severity").asText(), "high maps to error");
        assertEquals(incident.alert().receivedAt().toString(), payload.path("timestamp").asText());
        JsonNode details = payload.path("custom_details");
        assertEquals("p99 2300 ms over 5 minutes", details.path("description").asText());
        assertEquals(2300, details.path("metadata").path("p99_ms").asInt());
        assertEquals("edge", details.path("metadata").path("labels").path("team").asText());
        assertEquals(incident.id(), details.path("tocsin_incident_id").asText());
        assertEquals(incident.alert().dedupKey(), details.path("alert_dedup_key").asText());
        assertEquals("Tocsin", event.path("client").asText());
        List<String> allowedTop = List.of("routing_key", "event_action", "dedup_key", "payload", "client",
                "client_url", "images", "links");
        event.fieldNames().forEachRemaining(f -> assertTrue(allowedTop.contains(f), "not an Events API v2 field: " + f));
        List<String> allowedPayload = List.of("summary", "source", "severity", "timestamp", "component", "group",
                "class", "custom_details");
        payload.fieldNames().forEachRemaining(f -> assertTrue(allowedPayload.contains(f), "not a payload field: " + f));
        assertEquals("application/json",
                PagerDutyFake.events().get(0).getHeader("Content-Type").split(";")[0].trim());
    }

    @Test
    void severitiesMapToPagerDutysFour() {
        assertEquals("critical", PagerDutyFake.eventsFor(ingest("critical").id()).get(0).at("/payload/severity").asText());
        assertEquals("warning", PagerDutyFake.eventsFor(ingest("medium").id()).get(0).at("/payload/severity").asText());
        assertEquals("info", PagerDutyFake.eventsFor(ingest("low").id()).get(0).at("/payload/severity").asText());
    }

    @Test
    void a500ThenA202IsDeliveredOnTheSecondAttempt() {
        stub(500, 202);
        Incident incident = ingest("critical");
        assertEquals(DeliveryState.DELIVERED, incident.delivery().state());
        assertEquals(2, incident.delivery().attempts());
        assertEquals(List.of("HTTP 500: upstream error"), incident.delivery().errors());
        assertEquals(List.of(Duration.ofMillis(250)), sleeper.waits());
        assertEquals(2, PagerDutyFake.eventsFor(incident.id()).size(), "the same event twice, same dedup_key");
    }

    @Test
    void rateLimitedThroughoutIsLeftPendingWithTheNextAttemptTime() {
        stub(429, 429, 429);
        Incident incident = ingest("critical");
        assertEquals(DeliveryState.PENDING, incident.delivery().state());
        assertEquals(3, incident.delivery().attempts());
        assertEquals(429, incident.delivery().lastStatus());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), sleeper.waits());
        assertEquals(clock.instant().plus(Duration.ofSeconds(60)), incident.delivery().nextAttempt());
        assertTrue(incident.delivery().errors().get(0).startsWith("HTTP 429"), incident.delivery().errors().toString());
        assertEquals(3, PagerDutyFake.eventsFor(incident.id()).size());
    }

    @Test
    void aTimeoutIsRetriedThenLeftPending() {
        var server = PagerDutyFake.server();
        server.resetAll();
        // longer than the test read timeout (3 s, set by PagerDutyFake: generous, so that a loaded machine does not
        // time out ordinary calls and send a second trigger)
        server.stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(202)
                .withFixedDelay(3500)));
        Incident incident = ingest("high");
        assertEquals(DeliveryState.PENDING, incident.delivery().state());
        assertEquals(3, incident.delivery().attempts());
        assertEquals(0, incident.delivery().lastStatus());
        assertTrue(incident.delivery().errors().stream().allMatch(e -> e.startsWith("network: ")),
                incident.delivery().errors().toString());
        assertTrue(incident.delivery().nextAttempt() != null);
    }

    @Test
    void a400FailsWithPagerDutysErrorsAndIsNotRetried() {
        stub(400, 202);
        Incident incident = ingest("high");
        assertEquals(DeliveryState.FAILED, incident.delivery().state());
        assertEquals(1, incident.delivery().attempts());
        assertEquals(400, incident.delivery().lastStatus());
        assertEquals(List.of("HTTP 400: Event object is invalid; 'payload.summary' is missing or blank"),
                incident.delivery().errors());
        assertFalse(incident.delivery().retryable());
        assertNull(incident.delivery().nextAttempt());
        assertTrue(sleeper.waits().isEmpty());
        assertEquals(1, PagerDutyFake.eventsFor(incident.id()).size());
    }
}
