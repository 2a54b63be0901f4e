package io.tocsin.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/**
 * Maintenance windows created at run time. Every window here is scoped to a source of its own, because the table is
 * shared with other tests.
 */
@QuarkusTest
class MaintenanceWindowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    MaintenanceFunction function;
    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;

    private Instant t0;
    private String source;

    @BeforeEach
    void setUp() {
        PagerDutyFake.reset();
        t0 = Instant.parse("2026-12-01T20:00:00Z");
        clock.set(t0);
        source = "maint-" + UUID.randomUUID();
    }

    private JsonNode create(String start, String end, String... severities) {
        ObjectNode input = JSON.createObjectNode().put("action", "create").put("reason", "database upgrade")
                .put("created_by", "alice");
        if (start != null) {
            input.put("start", start);
        }
        if (end != null) {
            input.put("end", end);
        }
        input.putArray("sources").add(source);
        for (String severity : severities) {
            input.withArray("severities").add(severity);
        }
        return function.maintenance(input);
    }

    private IngestResult alert(String severity) {
        ObjectNode alert = JSON.createObjectNode().put("severity", severity).put("title", "t " + UUID.randomUUID())
                .put("source", source);
        return pipeline.ingest(alert, 100);
    }

    private IngestResult alertFrom(String otherSource) {
        ObjectNode alert = JSON.createObjectNode().put("severity", "high").put("title", "t " + UUID.randomUUID())
                .put("source", otherSource);
        return pipeline.ingest(alert, 100);
    }

    @Test
    void aWindowSuppressesItsSourceUntilItEnds() {
        JsonNode window = create("2026-12-01T21:00:00+01:00", "2026-12-01T20:30:00Z"); // starts 20:00 UTC
        assertTrue(window.path("created").asBoolean(), window.toString());
        assertEquals("2026-12-01T20:00:00Z", window.path("start").asText(), "offsets normalised to UTC");

        var suppressed = assertInstanceOf(IngestResult.Suppressed.class, alert("critical"));
        assertEquals(SuppressionReason.MAINTENANCE, suppressed.reason());
        assertEquals(window.path("id").asText(), suppressed.windowId());
        var record = incidents.findAsStored(suppressed.recordId()).orElseThrow();
        assertEquals(IncidentStatus.SUPPRESSED, record.status());
        assertEquals(window.path("id").asText(), record.maintenanceWindowId());
        assertInstanceOf(IngestResult.Created.class, alertFrom("elsewhere-" + UUID.randomUUID()),
                "other sources are paged");

        clock.set(Instant.parse("2026-12-01T20:29:59.999Z"));
        assertInstanceOf(IngestResult.Suppressed.class, alert("high"));
        clock.set(Instant.parse("2026-12-01T20:30:00Z")); // the window ends mid-test
        var created = assertInstanceOf(IngestResult.Created.class, alert("high"));
        assertEquals(1, PagerDutyFake.eventsFor(created.incidentId()).size());
    }

    @Test
    void severityMatchersScopeTheWindow() {
        create("2026-12-01T20:00:00Z", "2026-12-01T22:00:00Z", "low", "medium");
        assertInstanceOf(IngestResult.Suppressed.class, alert("low"));
        assertInstanceOf(IngestResult.Suppressed.class, alert("MEDIUM"));
        assertInstanceOf(IngestResult.Created.class, alert("critical"), "a critical alert still pages");
    }

    @Test
    void overlappingWindowsSuppressUntilTheLastOneEnds() {
        create("2026-12-01T20:00:00Z", "2026-12-01T21:00:00Z");
        create("2026-12-01T20:30:00Z", "2026-12-01T22:00:00Z");
        clock.set(Instant.parse("2026-12-01T20:45:00Z"));
        assertInstanceOf(IngestResult.Suppressed.class, alert("high"));
        clock.set(Instant.parse("2026-12-01T21:30:00Z"));
        assertInstanceOf(IngestResult.Suppressed.class, alert("high"), "the second window still runs");
        clock.set(Instant.parse("2026-12-01T22:00:00Z"));
        assertInstanceOf(IngestResult.Created.class, alert("high"));
    }

    @Test
    void listShowsActiveAndUpcomingAndDeleteEndsAWindow() {
        String active = create("2026-12-01T19:00:00Z", "2026-12-01T21:00:00Z").path("id").asText();
        String upcoming = create("2026-12-02T01:00:00Z", "2026-12-02T02:00:00Z").path("id").asText();
        List<String> listed = new ArrayList<>();
        function.maintenance(JSON.createObjectNode().put("action", "list")).path("windows")
                .forEach(w -> listed.add(w.path("id").asText() + ":" + w.path("active").asBoolean()));
        assertTrue(listed.contains(active + ":true") && listed.contains(upcoming + ":false"), listed.toString());

        JsonNode deleted = function.maintenance(HttpEvents.request("DELETE", "/maintenance/" + active,
                Map.of("id", active), Map.of(), null));
        assertEquals(200, HttpEvents.status(deleted), deleted.toString());
        assertInstanceOf(IngestResult.Created.class, alert("high"), "pages again once the window is deleted");
        JsonNode again = function.maintenance(JSON.createObjectNode().put("action", "delete").put("id", active));
        assertEquals("not_found", again.path("error").asText());
    }

    @Test
    void badWindowsNameTheField() {
        record Case(String start, String end, String field, String message) {
        }
        List<Case> cases = List.of(
                new Case("2026-12-01T20:00:00Z", null, "end", "is required"),
                new Case(null, "2026-12-01T21:00:00Z", "start", "is required"),
                new Case("2026-12-01T21:00:00Z", "2026-12-01T20:00:00Z", "end", "must be after start"),
                new Case("2026-12-01T20:00:00Z", "2026-12-01T21:00:00", "end", "zone offset"),
                new Case("2026-12-01T20:00:00Z", "2026-12-01T21:00:00+25:00", "end", "zone offset"),
                new Case("2026-12-01T20:00:00Z", "2026-12-09T21:00:00Z", "end", "at most 168 hours"),
                new Case("2026-11-01T20:00:00Z", "2026-11-01T21:00:00Z", "end", "in the past"));
        for (Case c : cases) {
            JsonNode answer = create(c.start(), c.end());
            JsonNode problem = answer.path("problems").get(0);
            assertEquals(c.field(), problem.path("field").asText(), c + " -> " + answer);
            assertTrue(problem.path("message").asText().contains(c.message()), c + " -> " + answer);
        }
        JsonNode severity = create("2026-12-01T20:00:00Z", "2026-12-01T21:00:00Z", "urgent");
        assertEquals("severities", severity.path("problems").get(0).path("field").asText());
        JsonNode overHttp = function.maintenance(HttpEvents.post("/maintenance", Map.of(),
                "{\"start\":\"2026-12-01T20:00:00Z\",\"reason\":\"x\"}"));
        assertEquals(400, HttpEvents.status(overHttp));
        assertEquals("end", HttpEvents.body(overHttp).path("problems").get(0).path("field").asText());
        assertInstanceOf(IngestResult.Created.class, alert("high"), "no window was created by any of these");
    }
}
