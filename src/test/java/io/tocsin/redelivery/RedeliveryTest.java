package io.tocsin.redelivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStore;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/** Guaranteed delivery: PagerDuty down, then back; everything pending goes out once, in order. */
@QuarkusTest
class RedeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Redelivery redelivery;
    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
        clock.set(Instant.parse("2027-06-01T00:00:00Z"));
    }

    private static void pagerDutyDown() {
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(503)
                .withBody("{\"status\":\"unavailable\"}")));
    }

    private String ingest(String severity) {
        ObjectNode alert = JSON.createObjectNode().put("severity", severity).put("title", "Storm alert")
                .put("source", "storm-" + UUID.randomUUID());
        return assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
    }

    @Test
    void aHundredAlertsDuringTenMinutesOfOutageAreAllDeliveredOnceAfterwardsInOrder() {
        pagerDutyDown();
        List<String> ids = new ArrayList<>();
        for (int minute = 0; minute < 10; minute++) {
            for (int i = 0; i < 10; i++) {
                ids.add(ingest(i == 0 ? "critical" : "medium"));
            }
            redelivery.run(clock.instant()); // the sweep keeps trying while PagerDuty is down
            clock.advance(Duration.ofMinutes(1));
        }
        List<String> acknowledged = ids.subList(0, 10);
        acknowledged.forEach(id -> lifecycle.acknowledge(id, "alice"));
        List<String> resolved = ids.subList(5, 15); // half of them acknowledged first, half resolved straight away
        resolved.forEach(id -> lifecycle.resolve(id, "recovered by itself", "bob"));
        for (String id : ids) {
            Incident incident = incidents.findAsStored(id).orElseThrow(() -> new AssertionError("not stored: " + id));
            assertEquals(resolved.contains(id) ? DeliveryState.SUPERSEDED : DeliveryState.PENDING,
                    incident.delivery().state(), "a trigger never delivered is not sent once resolved: " + id);
        }

        PagerDutyFake.reset(); // PagerDuty is back
        int rounds = 0;
        while (rounds++ < 60 && ids.stream().anyMatch(this::somethingPending)) {
            clock.advance(Duration.ofMinutes(5));
            redelivery.run(clock.instant());
        }
        for (String id : ids) {
            List<String> actions = PagerDutyFake.eventsFor(id).stream().map(e -> e.path("event_action").asText())
                    .toList();
            // resolved before PagerDuty came back: the trigger and acknowledge are superseded, the resolve is sent
            // (PagerDuty drops it if it never opened the alert, and closes it if an attempt did)
            List<String> expected = resolved.contains(id) ? List.of("resolve")
                    : acknowledged.contains(id) ? List.of("trigger", "acknowledge") : List.of("trigger");
            assertEquals(expected, actions, "after recovery, exactly once and in order: " + id);
            Incident incident = incidents.findAsStored(id).orElseThrow();
            assertEquals(resolved.contains(id) ? DeliveryState.SUPERSEDED : DeliveryState.DELIVERED,
                    incident.delivery().state());
        }
        assertTrue(rounds < 60, "drained in " + rounds + " sweeps");
    }

    private boolean somethingPending(String id) {
        return incidents.findAsStored(id).orElseThrow().deliveries().values().stream()
                .anyMatch(d -> d.state() == DeliveryState.PENDING);
    }

    @Test
    void aStormBeyondPagerDutysRateIsQueuedAndDrainedAtTheSweepsPace() throws Exception {
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(429)
                .withBody("{\"status\":\"throttle event\",\"message\":\"Requests for this service are arriving too quickly.\"}")));
        List<String> ids = new ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        List<java.util.concurrent.Future<String>> storm = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            storm.add(pool.submit(() -> ingest("high")));
        }
        for (var f : storm) {
            ids.add(f.get());
        }
        pool.shutdown();
        assertTrue(ids.stream().allMatch(this::somethingPending), "every throttled page is queued, none dropped");

        PagerDutyFake.reset();
        clock.advance(Duration.ofMinutes(5));
        Redelivery.Report first = redelivery.run(clock.instant());
        assertEquals(100, first.sent(), "tocsin.delivery.max-per-sweep: under PagerDuty's 120 a minute");
        // the table is shared with other tests: their leftovers may take part of a run's budget
        for (int run = 0; run < 5 && ids.stream().anyMatch(this::somethingPending); run++) {
            clock.advance(Duration.ofMinutes(1));
            assertTrue(redelivery.run(clock.instant()).sent() <= 100);
        }
        for (String id : ids) {
            assertEquals(1, PagerDutyFake.eventsFor(id).size(), id);
        }
    }

    @Test
    void overlappingSweepsSendEachPendingEventOnce() throws Exception {
        pagerDutyDown();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(ingest("high"));
        }
        PagerDutyFake.reset();
        clock.advance(Duration.ofMinutes(5));
        Instant now = clock.instant();
        var a = CompletableFuture.supplyAsync(() -> redelivery.run(now));
        var b = CompletableFuture.supplyAsync(() -> redelivery.run(now));
        // the table is shared with other tests, whose leftovers the sweeps may deliver too: count ours
        assertTrue(a.get().delivered() + b.get().delivered() >= 10);
        for (String id : ids) {
            assertEquals(1, PagerDutyFake.eventsFor(id).size(), id);
        }
    }

    @Test
    void aDeliveryThatNeverSucceedsEndsFailedWithAFallbackNote() {
        pagerDutyDown();
        String id = ingest("critical");
        for (int i = 0; i < 40 && somethingPending(id); i++) {
            clock.advance(Duration.ofMinutes(31));
            redelivery.run(clock.instant());
        }
        Incident incident = incidents.findAsStored(id).orElseThrow();
        assertEquals(DeliveryState.FAILED, incident.delivery().state());
        assertEquals(12, incident.delivery().attempts(), "tocsin.delivery.max-attempts");
        assertTrue(incident.delivery().errors().get(incident.delivery().errors().size() - 1).startsWith("gave up"));
        assertTrue(incident.outbox().stream().anyMatch(e -> e.kind() == io.tocsin.delivery.EffectKind.PAGE_FAILED_EMAIL
                && e.state().isFinal()), "a failed-page email was written and attempted: " + incident.outbox());
        assertTrue(incident.timeline().stream().anyMatch(e -> e.detail() != null
                && e.detail().startsWith("failed-page email failed: no email sent: no recipients configured")),
                "without recipients the timeline says nobody could be emailed: " + incident.timeline());
        assertEquals(null, incident.deliveries().get(PagerDutyAction.ACKNOWLEDGE));
    }
}
