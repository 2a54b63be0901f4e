package io.tocsin.incident;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/** Acknowledge and resolve against dynalite, PagerDuty faked at HTTP: states, timeline, PagerDuty bodies, races. */
@QuarkusTest
class LifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTING_KEY = "R0UTINGKEY0123456789ABCDEFGHIJKL";

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    IncidentStore incidents;
    @Inject
    io.tocsin.redelivery.Redelivery redelivery;
    @Inject
    MutableClock clock;
    @Inject
    OutboxDispatcher dispatcher;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
    }

    private String newIncident(String severity) {
        ObjectNode alert = JSON.createObjectNode().put("severity", severity).put("title", "Error rate above 5%")
                .put("source", "api-" + UUID.randomUUID());
        return assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
    }

    private static List<String> actions(String id) {
        return PagerDutyFake.eventsFor(id).stream().map(e -> e.path("event_action").asText()).toList();
    }

    private static List<TimelineEvent.Type> types(Incident incident) {
        return incident.timeline().stream().map(TimelineEvent::type).toList();
    }

    @Test
    void acknowledgeRecordsTheTimeToAcknowledgeAndTellsPagerDuty() {
        String id = newIncident("critical");
        clock.advance(Duration.ofMinutes(4));
        var applied = assertInstanceOf(Transition.Applied.class, lifecycle.acknowledge(id, "alice"));
        Incident incident = applied.incident();
        assertEquals(IncidentStatus.ACKNOWLEDGED, incident.status());
        assertEquals("alice", incident.acknowledgedBy());
        assertEquals(Duration.ofMinutes(4), incident.timeToAcknowledge());
        assertEquals(null, incident.nextEscalationAt(), "an acknowledged incident no longer escalates");
        assertEquals(DeliveryState.DELIVERED, incident.deliveries().get(PagerDutyAction.ACKNOWLEDGE).state());

        JsonNode ack = PagerDutyFake.eventsFor(id).get(1);
        assertEquals(ROUTING_KEY, ack.path("routing_key").asText());
        assertEquals("acknowledge", ack.path("event_action").asText());
        assertEquals(id, ack.path("dedup_key").asText());
        assertTrue(ack.path("payload").isMissingNode(), "acknowledge carries no payload");
        assertEquals(List.of(TimelineEvent.Type.TRIGGERED, TimelineEvent.Type.DELIVERED, TimelineEvent.Type.ACKNOWLEDGED,
                TimelineEvent.Type.DELIVERED), types(incident));
        assertEquals("alice", incident.timeline().get(2).actor());
    }

    @Test
    void acknowledgingTwiceChangesNothingAndSendsNothing() {
        String id = newIncident("high");
        lifecycle.acknowledge(id, "alice");
        Incident before = incidents.findAsStored(id).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        var again = assertInstanceOf(Transition.AlreadyDone.class, lifecycle.acknowledge(id, "bob"));
        assertEquals(before, again.incident());
        assertEquals(before, incidents.findAsStored(id).orElseThrow());
        assertEquals(List.of("trigger", "acknowledge"), actions(id));
    }

    @Test
    void resolveRecordsNotesAndTimeToResolveAndTellsPagerDuty() {
        String id = newIncident("medium");
        clock.advance(Duration.ofMinutes(2));
        lifecycle.acknowledge(id, "alice");
        clock.advance(Duration.ofMinutes(30));
        var applied = assertInstanceOf(Transition.Applied.class,
                lifecycle.resolve(id, "Rolled back release 2026.11.26-3", "alice"));
        Incident incident = applied.incident();
        assertEquals(IncidentStatus.RESOLVED, incident.status());
        assertEquals("Rolled back release 2026.11.26-3", incident.resolutionNotes());
        assertEquals(Duration.ofMinutes(32), incident.timeToResolve());
        JsonNode resolve = PagerDutyFake.eventsFor(id).get(2);
        assertEquals("resolve", resolve.path("event_action").asText());
        assertEquals(id, resolve.path("dedup_key").asText());
        assertEquals(ROUTING_KEY, resolve.path("routing_key").asText());
        assertEquals(TimelineEvent.Type.RESOLVED, incident.timeline().get(4).type());
        assertEquals("Rolled back release 2026.11.26-3", incident.timeline().get(4).detail());
    }

    @Test
    void aResolvedIncidentCannotBeAcknowledgedOrResolvedAgain() {
        String id = newIncident("low");
        lifecycle.resolve(id, "false alarm", "bob");
        Incident resolved = incidents.findAsStored(id).orElseThrow();
        var ack = assertInstanceOf(Transition.Conflict.class, lifecycle.acknowledge(id, "alice"));
        assertEquals(IncidentStatus.RESOLVED, ack.incident().status());
        assertInstanceOf(Transition.AlreadyDone.class, lifecycle.resolve(id, "again", "alice"));
        assertEquals(resolved, incidents.findAsStored(id).orElseThrow(), "nothing changed");
        assertEquals(List.of("trigger", "resolve"), actions(id));
    }

    @Test
    void unknownIncidentsAreNotFound() {
        assertInstanceOf(Transition.NotFound.class, lifecycle.acknowledge("no-such-id", "alice"));
        assertInstanceOf(Transition.NotFound.class, lifecycle.resolve("no-such-id", "n", "alice"));
    }

    @Test
    void anAcknowledgeIsHeldWhileTheTriggerIsPending() {
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(503)));
        String id = newIncident("critical");
        PagerDutyFake.reset();
        Incident incident = ((Transition.Applied) lifecycle.acknowledge(id, "alice")).incident();
        assertEquals(IncidentStatus.ACKNOWLEDGED, incident.status(), "the acknowledgment itself is recorded");
        var ack = incident.deliveries().get(PagerDutyAction.ACKNOWLEDGE);
        assertEquals(DeliveryState.PENDING, ack.state());
        assertEquals(0, ack.attempts());
        assertTrue(PagerDutyFake.events().isEmpty(), "no acknowledge before PagerDuty has the trigger");
        clock.set(incident.delivery().nextAttempt().plus(dispatcher.lease()));
        redelivery.run(clock.instant());
        assertEquals(List.of("trigger", "acknowledge"), actions(id), "the sweep sends both, in order");
    }

    @Test
    void twentyParallelAcknowledgesMakeOneAcknowledgment() throws Exception {
        String id = newIncident("critical");
        List<Transition> results = race(20, i -> lifecycle.acknowledge(id, "responder-" + i));
        assertEquals(1, results.stream().filter(Transition.Applied.class::isInstance).count());
        assertEquals(19, results.stream().filter(Transition.AlreadyDone.class::isInstance).count());
        Incident incident = incidents.findAsStored(id).orElseThrow();
        assertEquals(1, incident.timeline().stream().filter(e -> e.type() == TimelineEvent.Type.ACKNOWLEDGED).count());
        assertEquals(List.of("trigger", "acknowledge"), actions(id), "one PagerDuty acknowledge");
    }

    @Test
    void racingAcknowledgeAndResolveEndInOneValidState() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = newIncident("critical");
            race(10, i -> i % 2 == 0 ? lifecycle.acknowledge(id, "ack-" + i) : lifecycle.resolve(id, "fixed " + i, "res-" + i));
            Incident incident = incidents.findAsStored(id).orElseThrow();
            assertEquals(IncidentStatus.RESOLVED, incident.status(), "a resolve always lands: it is allowed from both");
            List<TimelineEvent.Type> lifecycleEvents = types(incident).stream()
                    .filter(t -> t == TimelineEvent.Type.ACKNOWLEDGED || t == TimelineEvent.Type.RESOLVED).toList();
            assertTrue(lifecycleEvents.equals(List.of(TimelineEvent.Type.RESOLVED))
                    || lifecycleEvents.equals(List.of(TimelineEvent.Type.ACKNOWLEDGED, TimelineEvent.Type.RESOLVED)),
                    lifecycleEvents.toString());
            assertEquals(1, actions(id).stream().filter("resolve"::equals).count());
            assertTrue(actions(id).stream().filter("acknowledge"::equals).count() <= 1);
        }
    }

    private static <T> List<T> race(int callers, java.util.function.IntFunction<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int n = i;
            Callable<T> task = () -> {
                start.await();
                return call.apply(n);
            };
            futures.add(pool.submit(task));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get());
        }
        pool.shutdown();
        return results;
    }
}
