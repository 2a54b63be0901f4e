package io.tocsin.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.fault.FaultPoint;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.IncidentTransitions;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.incident.TimelineEvent;
import io.tocsin.incident.Transition;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.redelivery.Redelivery;
import io.tocsin.support.CrashingFaultHook;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.time.Deadline;

/**
 * Issue 20's acceptance test for "one notifier interface": a channel added in test code only ({@link PigeonNotifier},
 * its own effect kind) is delivered, retried and finished after a crash by the production dispatcher and sweep, with
 * no change to either. Its entries are written the way a state change writes any effect: pending, in the same
 * conditional write, leased to the writer.
 */
@QuarkusTest
class NewChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentTransitions writes;
    @Inject
    IncidentStore incidents;
    @Inject
    OutboxDispatcher dispatcher;
    @Inject
    Redelivery redelivery;
    @Inject
    PigeonNotifier pigeon;
    @Inject
    CrashingFaultHook faults;
    @Inject
    MutableClock clock;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
        pigeon.reset();
        faults.disarm();
        clock.advance(Duration.ofDays(1));
    }

    @AfterEach
    void disarm() {
        faults.disarm();
    }

    /** A new incident, acknowledged with a pigeon effect written in the acknowledgment's own write. */
    private Incident acknowledgedWithPigeon(Instant leaseUntil) {
        ObjectNode alert = JSON.createObjectNode().put("severity", "high").put("title", "pigeon " + UUID.randomUUID())
                .put("source", "new-channel-test");
        String id = assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
        Instant now = clock.instant();
        OutboxEntry effect = OutboxEntry.pending(PigeonNotifier.PIGEON, null, 0, now, leaseUntil);
        Transition done = writes.acknowledge(id, "alice", "by pigeon", now, List.of(effect));
        return assertInstanceOf(Transition.Applied.class, done).incident();
    }

    private static OutboxEntry pigeonEntry(Incident incident) {
        return incident.outbox().stream().filter(e -> e.kind() == PigeonNotifier.PIGEON).findFirst().orElseThrow();
    }

    private Incident stored(Incident incident) {
        return incidents.findAsStored(incident.id()).orElseThrow();
    }

    /** Sweeps as EventBridge would, each past the entry's lease or backoff. */
    private void sweeps() {
        for (int i = 0; i < 3; i++) {
            clock.advance(dispatcher.lease().plusSeconds(5));
            redelivery.run(clock.instant());
        }
    }

    @Test
    void theNewChannelIsDeliveredByTheDispatcher() {
        Incident incident = acknowledgedWithPigeon(clock.instant().plus(dispatcher.lease()));
        OutboxEntry written = pigeonEntry(incident);
        assertTrue(written.isPending(), "written pending in the state change's own write");

        Incident after = dispatcher.dispatch(incident, OutboxDispatcher.Mode.CALLER, Deadline.NONE,
                Set.of(written.id())).incident();

        assertEquals(List.of(written.id()), pigeon.sentIds());
        OutboxEntry recorded = pigeonEntry(stored(after));
        assertEquals(DeliveryState.DELIVERED, recorded.state());
        assertEquals(1, recorded.attempts());
        assertTrue(stored(after).timeline().stream().anyMatch(e -> e.type() == TimelineEvent.Type.DELIVERED
                && e.detail().equals("pigeon accepted after 1 attempt(s): pigeon landed for " + incident.id())),
                "the outcome is on the timeline: " + stored(after).timeline());
        assertFalse(stored(after).hasPendingEffects());
    }

    @Test
    void aRetryableOutcomeIsRetriedByTheSweepUntilDelivered() {
        pigeon.answer(new Outcome.RetryAfter(503, "pigeon lost in fog"));
        Incident incident = acknowledgedWithPigeon(clock.instant().plus(dispatcher.lease()));
        OutboxEntry written = pigeonEntry(incident);

        dispatcher.dispatch(incident, OutboxDispatcher.Mode.CALLER, Deadline.NONE, Set.of(written.id()));
        OutboxEntry waiting = pigeonEntry(stored(incident));
        assertEquals(DeliveryState.PENDING, waiting.state(), "retry after: pending for the sweep");
        assertEquals(List.of("pigeon lost in fog"), waiting.errors());
        assertTrue(waiting.dueAt().isAfter(clock.instant()), "waits out a backoff: " + waiting.dueAt());

        sweeps();

        OutboxEntry delivered = pigeonEntry(stored(incident));
        assertEquals(DeliveryState.DELIVERED, delivered.state());
        assertEquals(2, delivered.attempts());
        assertEquals(List.of(written.id(), written.id()), pigeon.sentIds());
    }

    @Test
    void aFailureForGoodIsRecordedAndNotRetried() {
        pigeon.answer(new Outcome.FailedForGood(400, "no such loft"));
        Incident incident = acknowledgedWithPigeon(clock.instant().plus(dispatcher.lease()));
        dispatcher.dispatch(incident, OutboxDispatcher.Mode.CALLER, Deadline.NONE,
                Set.of(pigeonEntry(incident).id()));
        sweeps();
        OutboxEntry failed = pigeonEntry(stored(incident));
        assertEquals(DeliveryState.FAILED, failed.state());
        assertEquals(List.of("no such loft"), failed.errors());
        assertEquals(1, pigeon.sentIds().size());
    }

    @Test
    void aCrashAtEveryPointOfTheNewChannelIsFinishedByTheSweep() {
        for (FaultPoint point : List.of(FaultPoint.EFFECT_CLAIMED, FaultPoint.EFFECT_SENT,
                FaultPoint.EFFECT_RECORDED)) {
            pigeon.reset();
            // not leased for EFFECT_CLAIMED: the dispatcher must take it first, as the sweep does
            Instant lease = point == FaultPoint.EFFECT_CLAIMED ? null : clock.instant().plus(dispatcher.lease());
            Incident incident = acknowledgedWithPigeon(lease);
            OutboxEntry written = pigeonEntry(incident);
            faults.arm(point, 1);
            assertThrows(CrashingFaultHook.Crash.class, () -> dispatcher.dispatch(incident,
                    OutboxDispatcher.Mode.CALLER, Deadline.NONE, Set.of(written.id())), "dies at " + point);
            faults.disarm();

            sweeps();

            OutboxEntry finished = pigeonEntry(stored(incident));
            assertEquals(DeliveryState.DELIVERED, finished.state(), point + ": delivered, not lost");
            assertFalse(stored(incident).hasPendingEffects(), point + ": nothing left pending");
            int expectedSends = point == FaultPoint.EFFECT_SENT ? 2 : 1; // sent, not confirmed: sent again
            assertEquals(expectedSends, pigeon.sentIds().size(), point + ": " + pigeon.sentIds());
        }
    }
}
