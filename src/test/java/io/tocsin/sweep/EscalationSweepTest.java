package io.tocsin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.TimelineEvent;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/** Escalation with a moved clock (never a sleep), PagerDuty's REST API faked at HTTP. */
@QuarkusTest
class EscalationSweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EscalationSweep sweep;
    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;

    private static final java.util.concurrent.atomic.AtomicInteger DAY = new java.util.concurrent.atomic.AtomicInteger();
    private Instant t0;
    /** Incidents of this test: the table is shared with other tests, whose critical incidents are due too. */
    private final List<String> mine = new ArrayList<>();

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
        // each test on its own day, far from the others, so that earlier tests' incidents are never due here
        t0 = Instant.parse("2027-01-01T00:00:00Z").plus(Duration.ofDays(DAY.incrementAndGet()));
        clock.set(t0);
    }

    private String incident(String severity) {
        ObjectNode alert = JSON.createObjectNode().put("severity", severity).put("title", "Service down")
                .put("source", "esc-" + UUID.randomUUID());
        String id = assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
        mine.add(id);
        return id;
    }

    private List<String> runAt(Duration sinceStart) {
        clock.set(t0.plus(sinceStart));
        return sweep.run(clock.instant()).stream().filter(mine::contains).toList();
    }

    private static List<Integer> levelsSentFor(String id) {
        List<Integer> levels = new ArrayList<>();
        for (LoggedRequest request : PagerDutyFake.escalations()) {
            if (request.getUrl().endsWith("/PD-" + id)) {
                levels.add(PagerDutyFake.json(request).path("incident").path("escalation_level").asInt());
            }
        }
        return levels;
    }

    @Test
    void levelTwoAtTheTimeoutLevelThreeAtTwiceTheTimeout() {
        String id = incident("critical");
        assertEquals(List.of(), runAt(Duration.ofMinutes(14).plusSeconds(59)));
        assertEquals(List.of(id), runAt(Duration.ofMinutes(15)));
        assertEquals(2, incidents.findAsStored(id).orElseThrow().escalationLevel());
        assertEquals(List.of(), runAt(Duration.ofMinutes(29).plusSeconds(59)));
        assertEquals(List.of(id), runAt(Duration.ofMinutes(30)));
        assertEquals(List.of(), runAt(Duration.ofMinutes(90)), "3 is the highest level by default");
        assertEquals(List.of(2, 3), levelsSentFor(id));

        LoggedRequest put = PagerDutyFake.escalations().stream().filter(r -> r.getUrl().endsWith("/PD-" + id))
                .findFirst().orElseThrow();
        assertEquals("Token token=test-rest-api-key", put.getHeader("Authorization"));
        assertEquals("oncall-bot@example.com", put.getHeader("From"));
        assertTrue(put.getHeader("Accept").contains("application/vnd.pagerduty+json;version=2"));
        JsonNode body = PagerDutyFake.json(put);
        assertEquals("incident_reference", body.path("incident").path("type").asText());

        Incident incident = incidents.findAsStored(id).orElseThrow();
        long escalatedEntries = incident.timeline().stream().filter(e -> e.type() == TimelineEvent.Type.ESCALATED).count();
        assertEquals(4, escalatedEntries, "each level: the escalation, then what its action did");
    }

    @Test
    void anAcknowledgedIncidentStopsEscalating() {
        String id = incident("critical");
        assertEquals(List.of(id), runAt(Duration.ofMinutes(15)));
        clock.set(t0.plus(Duration.ofMinutes(20)));
        lifecycle.acknowledge(id, "alice");
        assertEquals(List.of(), runAt(Duration.ofMinutes(30)));
        assertEquals(List.of(2), levelsSentFor(id));
    }

    @Test
    void nonCriticalIncidentsDoNotEscalate() {
        String id = incident("high");
        assertEquals(List.of(), runAt(Duration.ofHours(2)));
        assertEquals(1, incidents.findAsStored(id).orElseThrow().escalationLevel());
    }

    @Test
    void overlappingSweepsEscalateEachLevelOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(incident("critical"));
        }
        clock.set(t0.plus(Duration.ofMinutes(15)));
        Instant now = clock.instant();
        var a = CompletableFuture.supplyAsync(() -> sweep.run(now));
        var b = CompletableFuture.supplyAsync(() -> sweep.run(now));
        List<String> all = new ArrayList<>(a.get().stream().filter(mine::contains).toList());
        all.addAll(b.get().stream().filter(mine::contains).toList());
        assertEquals(5, all.size(), "each incident escalated by exactly one of the two sweeps: " + all);
        for (String id : ids) {
            assertEquals(List.of(2), levelsSentFor(id), "one REST call for " + id);
        }
    }

    @Test
    void afterAnHourWithoutSweepsTheNextOneCatchesUpOnce() {
        String id = incident("critical");
        assertEquals(List.of(id), runAt(Duration.ofMinutes(61)));
        assertEquals(3, incidents.findAsStored(id).orElseThrow().escalationLevel());
        assertEquals(List.of(2, 3), levelsSentFor(id));
        assertEquals(List.of(), runAt(Duration.ofMinutes(62)), "and nothing twice");
    }
}
