package io.tocsin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.emf.Emf;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStore;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.store.OnCallSnapshot;
import io.tocsin.oncall.store.OnCallStore;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;
import io.tocsin.support.RecordedMetrics;
import io.tocsin.support.SmtpServer;

/**
 * Escalation by an on-call policy (src/test/resources/oncall/escalation.json, policy {@code esc-test}: step 1 the
 * schedule's on-call person, step 2 a person, a layer and PagerDuty, 5 minutes each, run twice), with a moved clock
 * and a sweep every minute; emails to a real SMTP server. Shares EmailEscalationTest's application start.
 */
@QuarkusTest
@TestProfile(EmailEscalationTest.NoApiKey.class)
class PolicyEscalationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.concurrent.atomic.AtomicInteger DAY = new java.util.concurrent.atomic.AtomicInteger();

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
    @Inject
    OnCallStore onCall;
    @Inject
    OnCallSnapshot snapshot;
    @Inject
    RecordedMetrics metrics;

    /** Half a minute past the minute, so that a sweep on the minute is up to 30 s late for every step. */
    private Instant t0;
    private final List<String> mine = new ArrayList<>();

    @BeforeEach
    void reset() throws Exception {
        PagerDutyFake.reset();
        SmtpServer.greenMail().purgeEmailFromAllMailboxes();
        metrics.clear();
        onCall.apply(DocumentReader.read(Files.readString(Projects.root()
                .resolve("src/test/resources/oncall/escalation.json"))), true);
        snapshot.refresh();
        t0 = Instant.parse("2028-03-01T00:00:30Z").plus(Duration.ofDays(DAY.incrementAndGet()));
        clock.set(t0);
    }

    private String incident() {
        ObjectNode alert = JSON.createObjectNode().put("severity", "high").put("title", "Queue stuck")
                .put("source", "policy-esc/" + UUID.randomUUID());
        String id = assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
        mine.add(id);
        return id;
    }

    /** Sweeps at whole minutes after t0's minute, from {@code from} to {@code to} inclusive. */
    private void sweepMinutes(int from, int to, Map<String, Integer> arrivedAtMinute) {
        for (int minute = from; minute <= to; minute++) {
            clock.set(t0.minusSeconds(30).plus(Duration.ofMinutes(minute)));
            sweep.run(clock.instant());
            int m = minute;
            received().keySet().forEach(k -> arrivedAtMinute.putIfAbsent(k, m));
        }
    }

    /** Message-ID → how many copies arrived. */
    private static Map<String, Integer> received() {
        Map<String, Integer> copies = new TreeMap<>();
        for (MimeMessage message : SmtpServer.greenMail().getReceivedMessages()) {
            try {
                copies.merge(message.getMessageID(), 1, Integer::sum);
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }
        return copies;
    }

    private static String messageId(String incident, OutboxEntry entry) {
        return "<" + incident + "." + entry.id() + "@tocsin>";
    }

    private List<OutboxEntry> entries(String id, EffectKind kind) {
        return incidents.findAsStored(id).orElseThrow().outbox().stream().filter(e -> e.kind() == kind).toList();
    }

    @Test
    void stepsComeAtTheirDelaysOnceEachThenStopAndTellOpsOnce() {
        String id = incident();
        List<OutboxEntry> first = entries(id, EffectKind.ONCALL_EMAIL);
        assertEquals(List.of("alice@esc.example"), first.stream().map(OutboxEntry::to).toList(),
                "step 1 (the schedule's on-call person) is written with the incident");
        assertEquals(DeliveryState.DELIVERED, first.get(0).state(), "and sent at once by ingest");
        assertEquals(0, PagerDutyFake.eventsFor(id).size(), "step 1 does not page PagerDuty");

        Map<String, Integer> arrived = new HashMap<>();
        received().keySet().forEach(k -> arrived.put(k, 0));
        sweepMinutes(1, 40, arrived);

        Incident incident = incidents.findAsStored(id).orElseThrow();
        Map<Integer, List<String>> byStep = new TreeMap<>();
        for (OutboxEntry entry : entries(id, EffectKind.ONCALL_EMAIL)) {
            byStep.computeIfAbsent(entry.level(), k -> new ArrayList<>()).add(entry.to());
            assertEquals(DeliveryState.DELIVERED, entry.state(), entry.toString());
            Instant due = t0.plus(Duration.ofMinutes(5L * (entry.level() - 1)));
            int minute = arrived.get(messageId(id, entry));
            Instant sent = minute == 0 ? t0 : t0.minusSeconds(30).plus(Duration.ofMinutes(minute)); // 0: at ingest
            assertTrue(!sent.isBefore(due) && !sent.isAfter(due.plusSeconds(60)),
                    "step " + entry.level() + " due " + due + " emailed at " + sent);
        }
        assertEquals(Map.of(1, List.of("alice@esc.example"), 2, List.of("bob@esc.example", "alice@esc.example"),
                3, List.of("alice@esc.example"), 4, List.of("bob@esc.example", "alice@esc.example")), byStep,
                "each step once, each person once per step (bob is named and on the layer), two passes");
        assertEquals(List.of(PagerDutyAction.TRIGGER, PagerDutyAction.TRIGGER), entries(id, EffectKind.PAGERDUTY_EVENT)
                .stream().skip(1).map(OutboxEntry::action).toList(), "steps 2 and 4 page PagerDuty (the trigger)");
        List<OutboxEntry> ops = entries(id, EffectKind.ESCALATION_EMAIL);
        assertEquals(1, ops.size(), "the ops email, once");
        Map<String, Integer> copies = received();
        assertEquals(2, copies.remove(messageId(id, ops.get(0))), "the ops email, to each of the 2 recipients");
        assertTrue(copies.values().stream().allMatch(c -> c == 1), "no on-call email twice: " + copies);
        assertEquals(21, arrived.get(messageId(id, ops.get(0))), "after the last step's delay (at 20:30), at 21:00");
        assertEquals(1, metrics.of(Emf.Metric.POLICIES_EXHAUSTED.metricName()).size(), "the ops metric, once");
        assertEquals(null, incident.nextEscalationAt(), "out of the escalation-due index");
        assertEquals(5, incident.timeline().stream().filter(e -> e.type() == io.tocsin.incident.TimelineEvent.Type
                .ESCALATED && e.detail().contains("policy esc-test")).count(), "every step on the timeline, and the end");
    }

    @Test
    void anAcknowledgmentAtAnyMomentStopsEveryLaterSend() {
        // acknowledged: before the first sweep, exactly when step 2 is due (before that sweep), between steps, in pass 2
        List<Duration> moments = List.of(Duration.ofSeconds(20), Duration.ofMinutes(5), Duration.ofMinutes(7),
                Duration.ofMinutes(16));
        Map<String, Duration> ackAt = new HashMap<>();
        for (Duration moment : moments) {
            ackAt.put(incident(), moment);
        }
        Map<String, Integer> arrived = new HashMap<>();
        for (int second = 0; second <= 40 * 60; second += 10) {
            Instant now = t0.plusSeconds(second);
            clock.set(now);
            ackAt.forEach((id, at) -> {
                if (at.equals(Duration.between(t0, now))) {
                    lifecycle.acknowledge(id, "alice");
                }
            });
            if ((second + 30) % 60 == 0) {
                sweep.run(now);
                int minute = (second + 30) / 60;
                received().keySet().forEach(k -> arrived.putIfAbsent(k, minute));
            }
        }
        ackAt.forEach((id, at) -> {
            Instant acknowledged = t0.plus(at);
            for (OutboxEntry entry : entries(id, EffectKind.ONCALL_EMAIL)) {
                assertTrue(entry.createdAt().isBefore(acknowledged), "no step written after the acknowledgment at "
                        + at + ": " + entry);
                if (entry.state() == DeliveryState.DELIVERED) {
                    Integer minute = arrived.get(messageId(id, entry));
                    assertTrue(minute == null || minute == 0 || t0.minusSeconds(30).plus(Duration.ofMinutes(minute))
                            .isBefore(acknowledged.plusSeconds(60)), "sent before the acknowledgment: " + entry);
                }
            }
            assertEquals(List.of(), entries(id, EffectKind.ESCALATION_EMAIL), "no ops signal after " + at);
            assertEquals(null, incidents.findAsStored(id).orElseThrow().nextEscalationAt());
        });
        assertEquals(0, metrics.of(Emf.Metric.POLICIES_EXHAUSTED.metricName()).size());
        int expectedSteps = 1 + 1 + 2 + 4; // steps written before each acknowledgment
        assertEquals(expectedSteps, ackAt.keySet().stream().mapToLong(id -> entries(id, EffectKind.ONCALL_EMAIL).stream()
                .map(OutboxEntry::level).distinct().count()).sum());
    }

    @Test
    void overlappingSweepsSendNothingTwice() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // each email costs suite time: two incidents show it
            ids.add(incident());
        }
        for (int minute = 6; minute <= 21; minute += 5) {
            Instant now = t0.minusSeconds(30).plus(Duration.ofMinutes(minute));
            clock.set(now);
            var a = CompletableFuture.runAsync(() -> sweep.run(now));
            var b = CompletableFuture.runAsync(() -> sweep.run(now));
            sweep.run(now); // and a third, interleaved with both
            a.get();
            b.get();
        }
        Map<String, Integer> copies = received();
        for (String id : ids) {
            List<OutboxEntry> emails = entries(id, EffectKind.ONCALL_EMAIL);
            assertEquals(6, emails.size(), "4 steps, 6 people-steps: " + emails);
            assertEquals(emails.size(), emails.stream().map(OutboxEntry::id).distinct().count());
            emails.forEach(e -> assertEquals(1, copies.get(messageId(id, e)), "sent once: " + e));
            assertEquals(1, entries(id, EffectKind.ESCALATION_EMAIL).size(), "ops told once for " + id);
        }
        assertEquals(ids.size(), metrics.of(Emf.Metric.POLICIES_EXHAUSTED.metricName()).size());
    }
}
