package io.tocsin.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alertmanager.AlertmanagerFunction;
import io.tocsin.sweep.SweepFunction;
import io.tocsin.fault.FaultPoint;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.IncidentTransitions;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.incident.TimelineEvent;
import io.tocsin.entry.IngestFunction;
import io.tocsin.summary.DailySummary;
import io.tocsin.support.CrashingFaultHook;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.SmtpServer;

/**
 * The crash matrix: every path that causes an outward effect is ended on purpose (an {@link Error}, as a killed Lambda
 * ends) at each named point between two of its steps; then the caller retries and the sweep runs, as they would in
 * AWS. For every (path, point): PagerDuty (WireMock, answering 202 as the Events API v2 does) has received every
 * required event, in order, under one dedup_key; every required email arrived (GreenMail); no incident was opened
 * twice; the timeline has no entry twice; nothing is left pending. Totals are printed and written to
 * {@code target/crash-matrix.md} (the "Guarantees" table of docs/escalation-and-guarantees.md).
 */
@QuarkusTest
@TestProfile(CrashMatrixTest.Profile.class)
class CrashMatrixTest {

    /** Its own application start (so its own table): escalations by email, a summary to send. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pagerduty.api-key", "", "alert.summary-email.recipients", "sre@example.com",
                    "alert.summary-email.enabled", "true", "alert.summary-email.time", "08:00");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServer.class));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ROWS = new ArrayList<>();
    private static int tried;
    private static int lost;
    private static int secondIncidents;
    private static int resent;

    @Inject
    IngestFunction ingest;
    @Inject
    AlertmanagerFunction alertmanager;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    IncidentStore incidents;
    @Inject
    IncidentTransitions writes;
    @Inject
    SweepFunction sweep;
    @Inject
    DailySummary summary;
    @Inject
    CrashingFaultHook faults;
    @Inject
    MutableClock clock;
    @Inject
    OutboxDispatcher dispatcher;
    @Inject
    io.tocsin.config.Settings settings;
    @Inject
    io.tocsin.oncall.store.OnCallStore onCall;
    @Inject
    io.tocsin.oncall.store.OnCallSnapshot onCallSnapshot;

    @BeforeEach
    void reset() throws Exception {
        faults.disarm();
        PagerDutyFake.reset();
        SmtpServer.greenMail().purgeEmailFromAllMailboxes();
        clock.advance(Duration.ofDays(1));
    }

    // ------------------------------------------------------------------------------------------------------- paths

    private ObjectNode alert(String title, String severity) {
        return JSON.createObjectNode().put("severity", severity).put("title", title).put("source", "crash-matrix")
                .put("dedup_key", "crash/" + title);
    }

    private String created(JsonNode answer) {
        assertEquals("created", answer.path("status").asText(), answer.toString());
        return answer.path("incident_id").asText();
    }

    /** Runs {@code step} with a crash armed at {@code point}; the step must die there. */
    private void crashing(FaultPoint point, Runnable step) {
        faults.arm(point, 1);
        assertThrows(CrashingFaultHook.Crash.class, step::run, "the path reaches " + point);
        faults.disarm();
    }

    /** Sweeps as EventBridge would, a minute apart, past every lease, until nothing is due. */
    private void sweepsAfterLeases() {
        for (int i = 0; i < 4; i++) {
            clock.advance(dispatcher.lease().plusSeconds(5));
            sweep.sweep(JSON.createObjectNode());
        }
    }

    private static final List<FaultPoint> INGEST_POINTS = List.of(FaultPoint.INGEST_CLAIMED, FaultPoint.INGEST_PAGED,
            FaultPoint.INGEST_RECORDED);
    private static final List<FaultPoint> EFFECT_POINTS = List.of(FaultPoint.EFFECT_WRITTEN, FaultPoint.EFFECT_SENT,
            FaultPoint.EFFECT_RECORDED);

    @Test
    void ingestARetryFinishesIt() {
        for (FaultPoint point : INGEST_POINTS) {
            String title = "ingest-retry-" + point + "-" + UUID.randomUUID();
            ObjectNode event = alert(title, "high");
            crashing(point, () -> ingest.ingest(event));
            clock.advance(Duration.ofMinutes(1)); // Lambda's asynchronous retry, after the claim's lease
            String id = ingest.ingest(event).path("incident_id").asText();
            sweepsAfterLeases();
            check("ingest, caller retries", point, id, title, List.of("trigger"), List.of());
        }
    }

    @Test
    void ingestTheSweepFinishesItWithoutARetry() {
        for (FaultPoint point : INGEST_POINTS) {
            String title = "ingest-sweep-" + point + "-" + UUID.randomUUID();
            crashing(point, () -> ingest.ingest(alert(title, "high")));
            sweepsAfterLeases();
            String id = idOf(title);
            check("ingest, no retry (sweep only)", point, id, title, List.of("trigger"), List.of());
        }
    }

    @Test
    void duplicate() {
        String title = "duplicate-" + UUID.randomUUID();
        ObjectNode event = alert(title, "high");
        String id = created(ingest.ingest(event));
        crashing(FaultPoint.DUPLICATE_CLAIMED, () -> ingest.ingest(event));
        JsonNode retry = ingest.ingest(event);
        assertEquals(id, retry.path("incident_id").asText(), "the retry names the stored incident");
        sweepsAfterLeases();
        check("duplicate", FaultPoint.DUPLICATE_CLAIMED, id, title, List.of("trigger"), List.of());
    }

    @Test
    void forwardedRepeat() {
        for (FaultPoint point : EFFECT_POINTS) {
            String title = "repeat-" + point + "-" + UUID.randomUUID();
            ObjectNode event = alert(title, "high");
            String id = created(ingest.ingest(event));
            clock.advance(settings.dedupWindow().plusMinutes(1)); // the first repeat after the window is forwarded
            crashing(point, () -> ingest.ingest(event));
            ingest.ingest(event); // Lambda's retry: a duplicate, the repeat already written
            sweepsAfterLeases();
            check("forwarded repeat", point, id, title, List.of("trigger"), List.of(), 1);
        }
    }

    @Test
    void acknowledgeAndResolve() {
        for (FaultPoint point : EFFECT_POINTS) {
            String title = "ack-" + point + "-" + UUID.randomUUID();
            String id = created(ingest.ingest(alert(title, "high")));
            crashing(point, () -> lifecycle.acknowledge(id, "alice"));
            lifecycle.acknowledge(id, "alice"); // the caller's retry: already acknowledged
            sweepsAfterLeases();
            check("acknowledge", point, id, title, List.of("trigger", "acknowledge"), List.of());

            String resolvedTitle = "resolve-" + point + "-" + UUID.randomUUID();
            String resolved = created(ingest.ingest(alert(resolvedTitle, "high")));
            crashing(point, () -> lifecycle.resolve(resolved, "fixed", "alice"));
            lifecycle.resolve(resolved, "fixed", "alice"); // the caller's retry: already resolved
            sweepsAfterLeases();
            check("resolve", point, resolved, resolvedTitle, List.of("trigger", "resolve"), List.of());
        }
    }

    @Test
    void changesMadeInPagerDuty() {
        String title = "webhook-" + UUID.randomUUID();
        String id = created(ingest.ingest(alert(title, "high")));
        crashing(FaultPoint.EFFECT_WRITTEN, () -> lifecycle.acknowledgedInPagerDuty(id, "bob", "w-1"));
        lifecycle.acknowledgedInPagerDuty(id, "bob", "w-1"); // PagerDuty delivers the webhook again
        crashing(FaultPoint.EFFECT_WRITTEN, () -> lifecycle.resolvedInPagerDuty(id, "bob", null, "w-2"));
        lifecycle.resolvedInPagerDuty(id, "bob", null, "w-2");
        sweepsAfterLeases();
        check("webhook acknowledge/resolve", FaultPoint.EFFECT_WRITTEN, id, title, List.of("trigger"), List.of());
    }

    @Test
    void cloudWatchOk() {
        for (FaultPoint point : EFFECT_POINTS) {
            String alarm = "crash-alarm-" + point + "-" + UUID.randomUUID();
            String id = created(ingest.ingest(alarmEvent(alarm, "ALARM")));
            crashing(point, () -> ingest.ingest(alarmEvent(alarm, "OK")));
            ingest.ingest(alarmEvent(alarm, "OK")); // Lambda's retry of the asynchronous invocation
            sweepsAfterLeases();
            check("CloudWatch OK", point, id, alarm + " is in ALARM", List.of("trigger", "resolve"), List.of());
        }
    }

    private ObjectNode alarmEvent(String name, String state) {
        ObjectNode event = JSON.createObjectNode().put("source", "aws.cloudwatch")
                .put("alarmArn", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:" + name)
                .put("accountId", "123456789012").put("time", clock.instant().toString()).put("region", "eu-west-1");
        ObjectNode data = event.putObject("alarmData").put("alarmName", name);
        data.putObject("state").put("value", state).put("reason", "crash matrix")
                .put("timestamp", clock.instant().toString());
        data.putObject("configuration").put("description", "tocsin:severity=high");
        return event;
    }

    @Test
    void alertmanagerResolved() {
        for (FaultPoint point : EFFECT_POINTS) {
            String name = "CrashMatrix" + point.ordinal() + UUID.randomUUID().toString().substring(0, 8);
            alertmanager.alertmanager(webhook(name, "firing"));
            String id = incidents.openWithDedupKey("alertmanager:fp-" + name).get(0).id();
            crashing(point, () -> alertmanager.alertmanager(webhook(name, "resolved")));
            alertmanager.alertmanager(webhook(name, "resolved"));
            sweepsAfterLeases();
            check("Alertmanager resolved", point, id, name, List.of("trigger", "resolve"), List.of());
        }
    }

    private ObjectNode webhook(String name, String status) {
        ObjectNode hook = JSON.createObjectNode().put("version", "4").put("status", status);
        ObjectNode alert = hook.putArray("alerts").addObject().put("status", status).put("fingerprint", "fp-" + name);
        alert.putObject("labels").put("alertname", name).put("severity", "high");
        alert.putObject("annotations").put("summary", name);
        return hook;
    }

    @Test
    void escalation() {
        for (FaultPoint point : EFFECT_POINTS) {
            String title = "escalation-" + point + "-" + UUID.randomUUID();
            String id = created(ingest.ingest(alert(title, "critical")));
            clock.advance(Duration.ofMinutes(15));
            crashing(point, () -> sweep.sweep(JSON.createObjectNode()));
            sweepsAfterLeases();
            check("escalation (email)", point, id, title, List.of("trigger"),
                    List.of("[Tocsin] Escalated to level 2: " + title));
            writes.resolve(id, "test", "end of case", clock.instant(), List.of()); // no further levels
        }
    }

    /** The on-call document of PolicyEscalationTest: alerts from {@code crash-oncall/} get policy {@code crash}. */
    private ObjectNode onCallAlert(String title) throws IOException {
        onCall.apply(io.tocsin.oncall.document.DocumentReader.read(Files.readString(io.tocsin.support.Projects.root()
                .resolve("src/test/resources/oncall/escalation.json"))), true);
        onCallSnapshot.refresh();
        return alert(title, "high").put("source", "crash-oncall/" + title);
    }

    private static String paged(int step, String title) {
        return "[Tocsin] You are paged (step " + step + "): high: " + title;
    }

    @Test
    void onCallFirstStepWrittenWithTheIncident() throws IOException {
        List<FaultPoint> points = new ArrayList<>(INGEST_POINTS);
        points.addAll(List.of(FaultPoint.EFFECT_SENT, FaultPoint.EFFECT_RECORDED)); // sending the step's email
        for (FaultPoint point : points) {
            String title = "oncall-first-" + point + "-" + UUID.randomUUID();
            ObjectNode event = onCallAlert(title);
            crashing(point, () -> ingest.ingest(event));
            clock.advance(Duration.ofMinutes(1)); // Lambda's asynchronous retry, after the claim's lease
            String id = ingest.ingest(event).path("incident_id").asText();
            sweepsAfterLeases();
            check("on-call policy, first step (oncall_email)", point, id, title, List.of(), List.of(paged(1, title)));
            writes.resolve(id, "test", "end of case", clock.instant(), List.of()); // no further steps
        }
    }

    @Test
    void onCallLaterStepBySweep() throws IOException {
        for (FaultPoint point : EFFECT_POINTS) {
            String title = "oncall-step-" + point + "-" + UUID.randomUUID();
            String id = created(ingest.ingest(onCallAlert(title)));
            clock.advance(Duration.ofHours(1)); // policy crash: step 2 an hour later
            crashing(point, () -> sweep.sweep(JSON.createObjectNode()));
            sweepsAfterLeases();
            check("on-call policy, step by the sweep (oncall_email)", point, id, title, List.of(),
                    List.of(paged(1, title), paged(2, title)));
            writes.resolve(id, "test", "end of case", clock.instant(), List.of()); // no exhaustion
        }
    }

    @Test
    void redelivery() {
        for (FaultPoint point : List.of(FaultPoint.EFFECT_CLAIMED, FaultPoint.EFFECT_SENT, FaultPoint.EFFECT_RECORDED)) {
            String title = "redelivery-" + point + "-" + UUID.randomUUID();
            PagerDutyFake.server().resetAll();
            PagerDutyFake.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                    com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(PagerDutyFake.ENQUEUE))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)));
            String id = created(ingest.ingest(alert(title, "high")));
            PagerDutyFake.reset();
            clock.advance(Duration.ofMinutes(2));
            crashing(point, () -> sweep.sweep(JSON.createObjectNode()));
            sweepsAfterLeases();
            check("redelivery (sweep)", point, id, title, List.of("trigger"), List.of());
        }
    }

    @Test
    void dailySummary() {
        for (FaultPoint point : List.of(FaultPoint.SUMMARY_CLAIMED, FaultPoint.SUMMARY_SENT)) {
            clock.set(clock.instant().plus(Duration.ofDays(1)).atZone(java.time.ZoneOffset.UTC).toLocalDate()
                    .atTime(8, 0).toInstant(java.time.ZoneOffset.UTC));
            String subject = "Daily Alert Summary - " + clock.instant().toString().substring(0, 10);
            crashing(point, () -> summary.run(clock.instant()));
            clock.advance(DailySummary.LEASE.plusSeconds(1)); // Lambda's retry after the claim's lease
            summary.run(clock.instant());
            tried++;
            List<String> subjects = SmtpServer.subjects();
            boolean arrived = subjects.contains(subject);
            lost += arrived ? 0 : 1;
            int copies = (int) subjects.stream().filter(subject::equals).count();
            resent += Math.max(0, copies - 1);
            ROWS.add(row("daily summary", point, arrived ? "sent" : "LOST", copies - 1));
            assertTrue(arrived, "the summary of the day arrives: " + subjects);
            assertEquals(1, messageIds(subject).size(), "every copy is the same message (Message-ID)");
        }
    }

    // ------------------------------------------------------------------------------------------------------ checks

    private String idOf(String title) {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode event : events()) {
            if (event.path("payload").path("summary").asText().equals(title)) {
                keys.add(event.path("dedup_key").asText());
            }
        }
        assertEquals(1, keys.size(), "one PagerDuty dedup_key for " + title + ": " + keys);
        return keys.iterator().next();
    }

    private static List<JsonNode> events() {
        return PagerDutyFake.events().stream().map(PagerDutyFake::json).toList();
    }

    private void check(String path, FaultPoint point, String id, String title, List<String> expectedEvents,
            List<String> expectedMails) {
        check(path, point, id, title, expectedEvents, expectedMails, 0);
    }

    /** As above, where {@code repeats} forwarded repeats of the trigger are required on top of the first. */
    private void check(String path, FaultPoint point, String id, String title, List<String> expectedEvents,
            List<String> expectedMails, int repeats) {
        tried++;
        // every trigger for this alert under one dedup_key: no second incident
        Set<String> keys = new LinkedHashSet<>();
        events().stream().filter(e -> e.path("payload").path("summary").asText().equals(title))
                .forEach(e -> keys.add(e.path("dedup_key").asText()));
        secondIncidents += Math.max(0, keys.size() - 1);
        List<String> received = PagerDutyFake.eventsFor(id).stream().map(e -> e.path("event_action").asText())
                .toList();
        List<String> collapsed = new ArrayList<>();
        for (String action : received) {
            if (collapsed.isEmpty() || !collapsed.get(collapsed.size() - 1).equals(action)) {
                collapsed.add(action);
            }
        }
        int copies = Math.max(0, received.size() - collapsed.size() - repeats);
        boolean repeatsArrived = received.size() - collapsed.size() >= repeats;
        List<String> subjects = SmtpServer.subjects();
        int missingMails = (int) expectedMails.stream().filter(s -> !subjects.contains(s)).count();
        for (String expected : expectedMails) {
            copies += Math.max(0, (int) subjects.stream().filter(expected::equals).count() - 1);
        }
        boolean inOrder = collapsed.equals(expectedEvents);
        Incident incident = incidents.findAsStored(id).orElseThrow(() -> new AssertionError(path + "/" + point
                + ": no stored incident " + id));
        boolean effectLost = !inOrder || !repeatsArrived || missingMails > 0 || incident.hasPendingEffects();
        lost += effectLost ? 1 : 0;
        resent += copies;
        ROWS.add(row(path, point, effectLost ? "LOST: " + collapsed + " mails missing " + missingMails
                : String.join(", ", collapsed) + (repeats == 0 ? "" : " + forwarded repeat")
                        + (expectedMails.isEmpty() ? "" : collapsed.isEmpty() ? "email" : " + email"), copies));

        assertEquals(Set.of(id), keys.isEmpty() ? Set.of(id) : keys, path + "/" + point + ": one incident");
        assertEquals(expectedEvents, collapsed, path + "/" + point + ": every event, in order (received " + received
                + ")");
        assertEquals(0, missingMails, path + "/" + point + ": every email (received " + subjects + ")");
        assertTrue(repeatsArrived, path + "/" + point + ": every forwarded repeat (received " + received + ")");
        assertTrue(!incident.hasPendingEffects(), path + "/" + point + ": nothing left pending " + incident.outbox());
        assertNoTimelineEntryTwice(path + "/" + point, incident, repeats);
    }

    /** No timeline entry twice, but for the deliveries of {@code repeats} forwarded repeats (each its own entry). */
    private static void assertNoTimelineEntryTwice(String what, Incident incident, int repeats) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (TimelineEvent event : incident.timeline()) {
            if (event.type() == TimelineEvent.Type.DELIVERY_PENDING || event.type() == TimelineEvent.Type.DELIVERY_FAILED) {
                continue; // one per attempt: different attempts, not the same entry twice
            }
            String key = event.type() + "|" + event.actor() + "|" + event.detail();
            int allowed = 1 + (event.type() == TimelineEvent.Type.DELIVERED ? repeats : 0);
            int times = seen.merge(key, 1, Integer::sum);
            assertTrue(times <= allowed, what + ": timeline entry twice: " + key + " in " + incident.timeline());
        }
    }

    private static Set<String> messageIds(String subject) {
        Set<String> ids = new LinkedHashSet<>();
        for (MimeMessage message : SmtpServer.greenMail().getReceivedMessages()) {
            try {
                if (subject.equals(message.getSubject())) {
                    ids.add(message.getMessageID());
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }
        return ids;
    }

    private static String row(String path, FaultPoint point, String outcome, int copies) {
        return "| " + path + " | " + point + " | " + outcome + " | " + copies + " |";
    }

    @AfterAll
    static void totals() throws IOException {
        StringBuilder table = new StringBuilder("| path | crash point | delivered after retry/sweep | sent again |\n"
                + "|---|---|---|---|\n");
        ROWS.forEach(r -> table.append(r).append('\n'));
        table.append("\nPoints tried: ").append(tried).append("; effects lost: ").append(lost)
                .append("; second incidents: ").append(secondIncidents).append("; effects sent again (at least once): ")
                .append(resent).append('\n');
        System.out.println("\n=== CRASH MATRIX ===\n" + table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "crash-matrix.md"), table);
    }
}
