package io.tocsin.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/** The acknowledge, resolve, incident and incidents functions over API Gateway: answers, status codes, bad input. */
@QuarkusTest
class LifecycleFunctionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LifecycleFunctions functions;
    @Inject
    IncidentFunction incident;
    @Inject
    IncidentsFunction history;
    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
    }

    private String newIncident(String severity, String source) {
        ObjectNode alert = JSON.createObjectNode().put("severity", severity).put("title", "t " + UUID.randomUUID())
                .put("source", source);
        return assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
    }

    private JsonNode ack(String id, String body) {
        return functions.acknowledge(HttpEvents.post("/incidents/" + id + "/acknowledge", Map.of("incident_id", id), body));
    }

    private JsonNode resolve(String id, String body) {
        return functions.resolve(HttpEvents.post("/incidents/" + id + "/resolve", Map.of("incident_id", id), body));
    }

    @Test
    void acknowledgeAnswersAndSaysWhenItWasAlreadyDone() {
        String id = newIncident("critical", "svc-" + UUID.randomUUID());
        clock.advance(Duration.ofSeconds(90));
        JsonNode first = ack(id, "{\"acknowledged_by\":\"alice\"}");
        assertEquals(200, HttpEvents.status(first));
        JsonNode body = HttpEvents.body(first);
        assertTrue(body.path("acknowledged").asBoolean());
        assertEquals("acknowledged", body.path("status").asText());
        assertEquals("alice", body.path("acknowledged_by").asText());
        assertEquals(90, body.path("time_to_acknowledge_seconds").asLong());

        JsonNode second = HttpEvents.body(ack(id, "{\"acknowledged_by\":\"bob\"}"));
        assertTrue(second.path("already_acknowledged").asBoolean());
        assertEquals("alice", second.path("acknowledged_by").asText());
    }

    @Test
    void resolveTwiceIsAConflictWithTheCurrentState() {
        String id = newIncident("high", "svc-" + UUID.randomUUID());
        assertEquals(200, HttpEvents.status(resolve(id, "{\"resolution_notes\":\"disk cleaned\"}")));
        JsonNode again = resolve(id, "{\"resolution_notes\":\"again\"}");
        assertEquals(409, HttpEvents.status(again));
        assertEquals("resolved", HttpEvents.body(again).path("status").asText());
        assertEquals("disk cleaned", HttpEvents.body(again).path("resolution_notes").asText());
        JsonNode ackAfter = ack(id, "{}");
        assertEquals(409, HttpEvents.status(ackAfter));
        assertEquals("conflict", HttpEvents.body(ackAfter).path("error").asText());
    }

    private record Case(String name, Function<String, JsonNode> call, int status, String field) {
    }

    @Test
    void badInputIsAClearErrorAndChangesNothing() {
        String id = newIncident("critical", "svc-" + UUID.randomUUID());
        Incident before = incidents.findAsStored(id).orElseThrow();
        List<Case> cases = List.of(
                new Case("unknown id (ack)", x -> ack("no-such-incident", "{}"), 404, "incident_id"),
                new Case("unknown id (resolve)", x -> resolve("no-such-incident", "{\"resolution_notes\":\"n\"}"), 404,
                        "incident_id"),
                new Case("missing notes", x -> resolve(id, "{}"), 400, "resolution_notes"),
                new Case("blank notes", x -> resolve(id, "{\"resolution_notes\":\"   \"}"), 400, "resolution_notes"),
                new Case("oversize notes", x -> resolve(id, "{\"resolution_notes\":\"" + "n".repeat(10_001) + "\"}"),
                        400, "resolution_notes"),
                new Case("notes of the wrong type", x -> resolve(id, "{\"resolution_notes\":42}"), 400,
                        "resolution_notes"),
                new Case("actor of the wrong type", x -> ack(id, "{\"acknowledged_by\":[\"a\"]}"), 400,
                        "acknowledged_by"),
                new Case("malformed JSON (ack)", x -> ack(id, "{\"acknowledged_by\": "), 400, "(body)"),
                new Case("malformed JSON (resolve)", x -> resolve(id, "{\"resolution_notes\""), 400, "(body)"),
                new Case("body not an object", x -> resolve(id, "[1]"), 400, "(body)"),
                new Case("direct call without id", x -> wrap(functions.acknowledge(JSON.createObjectNode())), 400,
                        "incident_id"),
                new Case("id of the wrong type", x -> wrap(functions.resolve(JSON.createObjectNode()
                        .put("incident_id", 7).put("resolution_notes", "n"))), 400, "incident_id"));
        long writes = writes();
        for (Case c : cases) {
            JsonNode answer = c.call().apply(null);
            assertEquals(c.status(), HttpEvents.status(answer), c.name() + ": " + answer);
            JsonNode body = HttpEvents.body(answer);
            assertEquals(c.field(), body.path("problems").get(0).path("field").asText(), c.name() + ": " + body);
            assertTrue(body.path("problems").get(0).path("message").asText().length() > 5, c.name());
        }
        assertEquals(writes + 2, writes(), "no write but the two refused conditional updates for the unknown id");
        assertTrue(incidents.findAsStored("no-such-incident").isEmpty(), "the refused updates created nothing");
        assertEquals(before, incidents.findAsStored(id).orElseThrow(), "the incident is unchanged");
        assertEquals(1, PagerDutyFake.eventsFor(id).size(), "only the trigger reached PagerDuty");
    }

    /** Direct answers carry no status: give them the one API Gateway would, for the table above. */
    private static JsonNode wrap(JsonNode direct) {
        return io.tocsin.api.ApiGateway.response(direct.has("error") ? 400 : 200, direct);
    }

    private static long writes() {
        return DynamoRequestMeter.total("PutItem") + DynamoRequestMeter.total("UpdateItem");
    }

    @Test
    void theIncidentComesWithItsTimeline() {
        String id = newIncident("critical", "svc-" + UUID.randomUUID());
        ack(id, "{\"acknowledged_by\":\"alice\"}");
        resolve(id, "{\"resolution_notes\":\"restarted the pool\",\"resolved_by\":\"alice\"}");
        JsonNode answer = incident.incident(HttpEvents.request("GET", "/incidents/" + id, Map.of("incident_id", id),
                Map.of(), null));
        assertEquals(200, HttpEvents.status(answer));
        List<String> types = new java.util.ArrayList<>();
        HttpEvents.body(answer).path("timeline").forEach(e -> types.add(e.path("type").asText()));
        assertEquals(List.of("triggered", "delivered", "acknowledged", "delivered", "resolved", "delivered"), types);
    }

    @Test
    void historyFiltersNewestFirstAndPagesWithACursor() {
        String source = "history-" + UUID.randomUUID();
        clock.set(java.time.Instant.parse("2026-11-20T23:59:00Z"));
        java.util.List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(newIncident(i % 2 == 0 ? "critical" : "low", source));
            clock.advance(Duration.ofMinutes(1)); // crosses midnight: two day partitions
        }
        newIncident("critical", "other-" + UUID.randomUUID());
        resolveDirect(created.get(4));

        JsonNode page1 = call(Map.of("source", source, "limit", "2"));
        assertEquals(List.of(created.get(4), created.get(3)), ids(page1));
        JsonNode page2 = call(Map.of("source", source, "limit", "2", "cursor", page1.path("next_cursor").asText()));
        assertEquals(List.of(created.get(2), created.get(1)), ids(page2));
        JsonNode page3 = call(Map.of("source", source, "limit", "2", "cursor", page2.path("next_cursor").asText()));
        assertEquals(List.of(created.get(0)), ids(page3));
        assertTrue(page3.path("next_cursor").isNull());

        assertEquals(List.of(created.get(2), created.get(0)),
                ids(call(Map.of("source", source, "severity", "critical", "status", "triggered"))));
        assertEquals(List.of(created.get(4)), ids(call(Map.of("source", source, "status", "resolved"))));
        assertEquals(List.of(created.get(1), created.get(0)), ids(call(Map.of("source", source,
                "from", "2026-11-20T00:00:00Z", "to", "2026-11-21T00:00:00Z"))));
    }

    @Test
    void historyRejectsBadFiltersByName() {
        JsonNode answer = history.incidents(HttpEvents.request("GET", "/incidents", Map.of(), Map.of(), null)
                .set("queryStringParameters", JSON.valueToTree(Map.of("status", "open", "limit", "500",
                        "from", "yesterday", "severity", "urgent", "cursor", "bm9wZQ"))));
        assertEquals(400, HttpEvents.status(answer));
        List<String> fields = new java.util.ArrayList<>();
        HttpEvents.body(answer).path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertEquals(List.of("status", "severity", "from", "limit"), fields);
        JsonNode badCursor = history.incidents(JSON.createObjectNode().put("cursor", "bm9wZQ"));
        assertEquals("cursor", badCursor.path("problems").get(0).path("field").asText());
    }

    private void resolveDirect(String id) {
        functions.resolve(JSON.createObjectNode().put("incident_id", id).put("resolution_notes", "done"));
    }

    private JsonNode call(Map<String, String> query) {
        ObjectNode event = HttpEvents.request("GET", "/incidents", Map.of(), Map.of(), null);
        event.set("queryStringParameters", JSON.valueToTree(query));
        JsonNode answer = history.incidents(event);
        assertEquals(200, HttpEvents.status(answer), answer.toString());
        return HttpEvents.body(answer);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new java.util.ArrayList<>();
        page.path("incidents").forEach(i -> ids.add(i.path("incident_id").asText()));
        return ids;
    }
}
