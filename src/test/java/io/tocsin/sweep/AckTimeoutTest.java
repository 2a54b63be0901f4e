package io.tocsin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.TimelineEvent;
import io.tocsin.entry.IngestFunction;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/**
 * TOCSIN_ACK_TIMEOUT=critical=30m,high=250ms,low=1d: a critical incident acknowledged and not resolved within 30
 * minutes returns to triggered, pages again (resolve + trigger under its dedup_key, so PagerDuty notifies), and escalates
 * again from level 1; just before the deadline nothing happens; overlapping sweeps re-page once; a severity without a
 * timeout (medium) never times out; a high one times out at 250 ms and a low one at a day.
 */
@QuarkusTest
@TestProfile(AckTimeoutTest.Profile.class)
class AckTimeoutTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // every form of the one duration parser: 250 ms and a day (Settings once read "PT" + text: 1d stopped start-up)
            return Map.of("tocsin.ack-timeout", "critical=30m,high=250ms,low=1d", "pagerduty.api-key", "");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IngestFunction ingest;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    IncidentStore incidents;
    @Inject
    SweepFunction sweep;
    @Inject
    MutableClock clock;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
        clock.set(Instant.parse("2032-02-01T10:00:00Z"));
    }

    private String incident(String severity) {
        return ingest.ingest(JSON.createObjectNode().put("severity", severity).put("title", "ack timeout " + severity)
                .put("source", "ack-" + UUID.randomUUID())).path("incident_id").asText();
    }

    private List<String> actions(String id) {
        return PagerDutyFake.eventsFor(id).stream().map(e -> e.path("event_action").asText()).toList();
    }

    @Test
    void anAcknowledgmentNotResolvedInTimePagesAgainOnceAndEscalationRestarts() throws Exception {
        Instant t0 = clock.instant();
        String critical = incident("critical");
        String medium = incident("medium");
        clock.set(t0.plus(Duration.ofMinutes(1)));
        lifecycle.acknowledge(critical, "alice");
        lifecycle.acknowledge(medium, "bob");

        clock.set(t0.plus(Duration.ofMinutes(31)).minusMillis(1)); // just before the deadline
        sweep.sweep(JSON.createObjectNode());
        assertEquals(IncidentStatus.ACKNOWLEDGED, incidents.findAsStored(critical).orElseThrow().status());
        assertEquals(List.of("trigger", "acknowledge"), actions(critical));

        clock.set(t0.plus(Duration.ofMinutes(31))); // at the deadline, two sweeps at once
        Instant now = clock.instant();
        var a = CompletableFuture.supplyAsync(() -> sweep.sweep(JSON.createObjectNode()));
        var b = CompletableFuture.supplyAsync(() -> sweep.sweep(JSON.createObjectNode()));
        JsonNode first = a.get();
        JsonNode second = b.get();
        int repaged = first.path("acknowledgment_timed_out").size() + second.path("acknowledgment_timed_out").size();
        assertEquals(1, repaged, "exactly one re-page: " + first + " " + second);
        Incident again = incidents.findAsStored(critical).orElseThrow();
        assertEquals(IncidentStatus.TRIGGERED, again.status());
        assertEquals(List.of("trigger", "acknowledge", "resolve", "trigger"), actions(critical),
                "paged again: PagerDuty's acknowledged alert closed, a new one opened under the same dedup_key");
        assertEquals(1, again.timeline().stream().filter(e -> e.type() == TimelineEvent.Type.ACK_TIMED_OUT).count());
        assertEquals(1, again.escalationLevel());
        assertEquals(now.plus(Duration.ofMinutes(15)), again.nextEscalationAt(), "escalation starts again");

        clock.set(t0.plus(Duration.ofMinutes(31 + 15))); // escalation goes on from the re-page
        JsonNode escalated = sweep.sweep(JSON.createObjectNode());
        assertTrue(escalated.path("escalated").toString().contains(critical), escalated.toString());

        clock.set(t0.plus(Duration.ofHours(5)));
        sweep.sweep(JSON.createObjectNode());
        assertEquals(IncidentStatus.ACKNOWLEDGED, incidents.findAsStored(medium).orElseThrow().status(),
                "a severity without a timeout stays acknowledged");
        assertEquals(List.of("trigger", "acknowledge"), actions(medium));
    }

    @Test
    void aHighAcknowledgmentTimesOutAt250MillisecondsAndALowOneAtADay() {
        Instant t0 = clock.instant();
        String high = incident("high");
        String low = incident("low");
        lifecycle.acknowledge(high, "carol");
        lifecycle.acknowledge(low, "dave");

        clock.set(t0.plusMillis(249));
        sweep.sweep(JSON.createObjectNode());
        assertEquals(IncidentStatus.ACKNOWLEDGED, incidents.findAsStored(high).orElseThrow().status(), "249 ms: still held");

        clock.set(t0.plusMillis(250));
        JsonNode answer = sweep.sweep(JSON.createObjectNode());
        assertTrue(answer.path("acknowledgment_timed_out").toString().contains(high), answer.toString());
        assertEquals(IncidentStatus.TRIGGERED, incidents.findAsStored(high).orElseThrow().status());
        assertEquals(List.of("trigger", "acknowledge", "resolve", "trigger"), actions(high));
        assertEquals(IncidentStatus.ACKNOWLEDGED, incidents.findAsStored(low).orElseThrow().status(), "a day is not 250 ms");

        clock.set(t0.plus(Duration.ofDays(1)).minusMillis(1));
        sweep.sweep(JSON.createObjectNode());
        assertEquals(IncidentStatus.ACKNOWLEDGED, incidents.findAsStored(low).orElseThrow().status());
        clock.set(t0.plus(Duration.ofDays(1)));
        sweep.sweep(JSON.createObjectNode());
        assertEquals(IncidentStatus.TRIGGERED, incidents.findAsStored(low).orElseThrow().status(), "1d: paged again at a day");
        assertEquals(List.of("trigger", "acknowledge", "resolve", "trigger"), actions(low));
    }

    @Test
    void anIncidentWithAPolicyRestartsItsPolicyAndPagesNoPagerDutyItNeverPaged() throws Exception {
        Instant t0 = clock.instant();
        io.tocsin.oncall.store.OnCallStore store = io.quarkus.arc.Arc.container()
                .instance(io.tocsin.oncall.store.OnCallStore.class).get();
        store.apply(io.tocsin.oncall.document.DocumentReader.read(java.nio.file.Files.readString(
                io.tocsin.support.Projects.root().resolve("src/test/resources/oncall/escalation.json"))), true);
        io.quarkus.arc.Arc.container().instance(io.tocsin.oncall.store.OnCallSnapshot.class).get().refresh();
        String id = ingest.ingest(JSON.createObjectNode().put("severity", "critical").put("title", "policy ack timeout")
                .put("source", "crash-oncall/" + UUID.randomUUID())).path("incident_id").asText();
        clock.set(t0.plus(Duration.ofMinutes(1)));
        lifecycle.acknowledge(id, "carol");
        clock.set(t0.plus(Duration.ofMinutes(31)));
        sweep.sweep(JSON.createObjectNode()); // the acknowledgment times out; the policy's step 1 is due again at once
        Incident again = incidents.findAsStored(id).orElseThrow();
        assertEquals(IncidentStatus.TRIGGERED, again.status());
        assertEquals(clock.instant(), again.policyStart(), "the policy starts over");
        List<io.tocsin.delivery.OutboxEntry> emails = again.outbox().stream()
                .filter(e -> e.kind() == io.tocsin.delivery.EffectKind.ONCALL_EMAIL).toList();
        assertEquals(2, emails.size(), "step 1 at creation, and step 1 again after the timeout: " + emails);
        assertEquals(List.of(1, 1), emails.stream().map(io.tocsin.delivery.OutboxEntry::level).toList());
        assertEquals(2, emails.stream().map(io.tocsin.delivery.OutboxEntry::id).distinct().count(), "new entry ids");
        assertEquals(List.of(), actions(id), "PagerDuty never knew it (its policy pages only people): nothing sent");
        clock.set(t0.plus(Duration.ofMinutes(31 + 60)));
        sweep.sweep(JSON.createObjectNode());
        assertEquals(2, incidents.findAsStored(id).orElseThrow().escalationLevel(), "step 2, an hour after the restart");
    }
}
