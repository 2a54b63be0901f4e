package io.tocsin.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.maintenance.MaintenanceFunction;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/**
 * Heartbeats with a moved clock: created by a first ping or explicitly, raised by the sweep just after (never at or
 * before) the deadline, exactly once under overlapping sweeps, resolved by the next ping. Every heartbeat here has a
 * name of its own and is deleted afterwards (the table and the clock are shared with other tests); a sweep's report is
 * read for this test's heartbeat only.
 */
@QuarkusTest
class HeartbeatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    HeartbeatFunction function;
    @Inject
    HeartbeatSweep sweep;
    @Inject
    HeartbeatStore store;
    @Inject
    IncidentStore incidents;
    @Inject
    MaintenanceFunction maintenance;
    @Inject
    MutableClock clock;
    @Inject
    HeartbeatConfig config;
    @Inject
    io.tocsin.incident.IncidentLifecycle lifecycle;
    @Inject
    io.tocsin.maintenance.MaintenancePolicy maintenancePolicy;
    @Inject
    io.tocsin.dashboard.DashboardFunction dashboard;

    private final List<String> names = new ArrayList<>();
    private Instant t0;

    @BeforeEach
    void setUp() {
        PagerDutyFake.reset();
        t0 = Instant.parse("2027-02-01T10:00:00Z");
        clock.set(t0);
    }

    @AfterEach
    void deleteMine() {
        names.forEach(store::delete);
    }

    private String name(String prefix) {
        String name = prefix + "-" + UUID.randomUUID();
        names.add(name);
        return name;
    }

    private JsonNode call(ObjectNode input) {
        return function.heartbeat(input);
    }

    private JsonNode ping(String name) {
        return call(JSON.createObjectNode().put("action", "ping").put("name", name));
    }

    private JsonNode create(String name, String interval, String grace) {
        return call(JSON.createObjectNode().put("action", "create").put("name", name).put("interval", interval)
                .put("grace", grace));
    }

    /** Runs the sweep at {@code at}; the incident ids it raised for {@code name}. */
    private List<String> sweepAt(Instant at, String name) {
        clock.set(at);
        return raisedFor(sweep.run(at), name);
    }

    private static List<String> raisedFor(HeartbeatSweep.Report report, String name) {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < report.raised().size(); i++) {
            if (report.raised().get(i).equals(name)) {
                mine.add(report.incidentIds().get(i));
            }
        }
        return mine;
    }

    @Test
    void theFirstPingCreatesAHeartbeatWithTheConfiguredDefaults() {
        String name = name("first-ping");
        JsonNode pinged = ping(name);
        assertTrue(pinged.path("pinged").asBoolean() && pinged.path("created").asBoolean(), pinged.toString());
        assertEquals(300, pinged.path("interval_seconds").asInt(), "TOCSIN_HEARTBEAT_DEFAULT_INTERVAL");
        assertEquals(300, pinged.path("grace_seconds").asInt(), "TOCSIN_HEARTBEAT_DEFAULT_GRACE");
        assertEquals("high", pinged.path("severity").asText(), "TOCSIN_HEARTBEAT_SEVERITY");
        assertEquals(t0.plus(Duration.ofMinutes(10)).toString(), pinged.path("due").asText());
        assertEquals("waiting", pinged.path("state").asText());

        clock.set(t0.plusSeconds(90));
        JsonNode again = ping(name);
        assertFalse(again.path("created").asBoolean());
        assertEquals(2, again.path("pings").asInt());
        assertEquals(t0.plusSeconds(90 + 600).toString(), again.path("due").asText(), "re-armed from the last ping");
    }

    @Test
    void lateOnlyAfterTheDeadlineThenOneAlertThenTheNextPingResolvesIt() {
        String name = name("nightly-backup");
        JsonNode created = create(name, "10m", "2m");
        assertTrue(created.path("created").asBoolean(), created.toString());
        clock.set(t0.plusSeconds(30));
        ping(name);
        Instant deadline = t0.plusSeconds(30).plus(Duration.ofMinutes(12));

        assertEquals(List.of(), sweepAt(deadline.minusMillis(1), name), "just before the deadline");
        assertEquals(List.of(), sweepAt(deadline, name), "at the deadline: last ping + interval + grace is not < now");
        List<String> raised = sweepAt(deadline.plusMillis(1), name);
        assertEquals(1, raised.size(), "just after the deadline: one alert");
        String incidentId = raised.get(0);

        Incident incident = incidents.findAsStored(incidentId).orElseThrow();
        assertEquals(IncidentStatus.TRIGGERED, incident.status());
        assertEquals("no heartbeat from " + name + " since 2027-02-01T10:00:30Z", incident.alert().title());
        assertEquals(Severity.HIGH, incident.alert().severity());
        assertEquals("heartbeat:" + name, incident.alert().dedupKey());
        assertEquals("heartbeat:" + name, incident.alert().source());
        assertEquals(1, PagerDutyFake.eventsFor(incidentId).size(), "paged once");
        Heartbeat late = store.find(name).orElseThrow();
        assertEquals(HeartbeatState.LATE, late.state());
        assertEquals(incidentId, late.incidentId());

        assertEquals(List.of(), sweepAt(deadline.plus(Duration.ofMinutes(30)), name), "still late: no second alert");
        assertEquals(0, incidents.findAsStored(incidentId).orElseThrow().duplicateCount());

        Instant back = deadline.plus(Duration.ofMinutes(40));
        clock.set(back);
        JsonNode pinged = ping(name);
        assertEquals(incidentId, pinged.path("resolved_incident_id").asText(), pinged.toString());
        Incident resolved = incidents.findAsStored(incidentId).orElseThrow();
        assertEquals(IncidentStatus.RESOLVED, resolved.status());
        assertTrue(resolved.resolutionNotes().startsWith("Heartbeat " + name + " pinged again at " + back),
                resolved.resolutionNotes());
        assertEquals("heartbeat:" + name, resolved.resolvedBy());
        List<JsonNode> events = PagerDutyFake.eventsFor(incidentId);
        assertEquals("resolve", events.get(events.size() - 1).path("event_action").asText());
        assertEquals("waiting", pinged.path("state").asText(), "re-armed");
        assertEquals(back.plus(Duration.ofMinutes(12)).toString(), pinged.path("due").asText());

        // silent again: a new incident (the first one is resolved)
        List<String> second = sweepAt(back.plus(Duration.ofMinutes(12)).plusSeconds(1), name);
        assertEquals(1, second.size());
        assertNotEquals(incidentId, second.get(0));
    }

    /** A heartbeat late again right after its resolving ping (well inside ALERT_DEDUP_WINDOW) pages again. */
    @Test
    void lateThenPingThenLateAgainWithinFiveMinutesIsANewIncident() {
        String name = name("flaky-cron");
        create(name, "1m", "1m");
        List<String> first = sweepAt(t0.plus(Duration.ofMinutes(2)).plusMillis(1), name);
        assertEquals(1, first.size());
        clock.set(t0.plus(Duration.ofMinutes(2)).plusSeconds(10));
        assertEquals(first.get(0), ping(name).path("resolved_incident_id").asText());
        List<String> second = sweepAt(t0.plus(Duration.ofMinutes(4)).plusSeconds(11), name);
        assertEquals(1, second.size(), "late again 2 minutes after the ping");
        assertNotEquals(first.get(0), second.get(0), "a new incident, not the resolved one");
        assertEquals(IncidentStatus.TRIGGERED, incidents.findAsStored(second.get(0)).orElseThrow().status());
        assertEquals(List.of("trigger"), PagerDutyFake.eventsFor(second.get(0)).stream()
                .map(e -> e.path("event_action").asText()).toList(), "and it is paged");
    }

    @Test
    void twoOverlappingSweepsRaiseExactlyOneAlert() throws Exception {
        String name = name("watchdog");
        create(name, "1m", "0s");
        Instant late = t0.plus(Duration.ofMinutes(1)).plusSeconds(1);
        clock.set(late);
        for (int round = 0; round < 3; round++) {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<HeartbeatSweep.Report>> sweeps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sweeps.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return sweep.run(late);
                }));
            }
            start.countDown();
            List<String> raised = new ArrayList<>();
            for (var s : sweeps) {
                raised.addAll(raisedFor(s.get(), name));
            }
            assertEquals(round == 0 ? 1 : 0, raised.size(), "round " + round + ": " + raised);
        }
        Heartbeat heartbeat = store.find(name).orElseThrow();
        assertEquals(HeartbeatState.LATE, heartbeat.state());
        Incident incident = incidents.findAsStored(heartbeat.incidentId()).orElseThrow();
        assertEquals(0, incident.duplicateCount(), "no second alert even reached ingest");
        assertEquals(1, PagerDutyFake.eventsFor(incident.id()).size());
    }

    @Test
    void aSweepThatDiedAfterItsClaimIsTakenOverWhenTheLeaseRunsOut() {
        String name = name("crashed-claim");
        create(name, "5m", "1m");
        Heartbeat seen = store.find(name).orElseThrow();
        Instant claimedAt = t0.plus(Duration.ofMinutes(7));
        // what a sweep that died right after claiming leaves behind
        assertTrue(store.replace(seen.with(HeartbeatState.RAISING, seen.dueAt(), null, claimedAt), seen.version()));
        assertEquals(List.of(), sweepAt(claimedAt.plus(HeartbeatStore.RAISE_LEASE).minusMillis(1), name),
                "the claim's lease still runs");
        List<String> raised = sweepAt(claimedAt.plus(HeartbeatStore.RAISE_LEASE).plusMillis(1), name);
        assertEquals(1, raised.size());
        assertEquals(HeartbeatState.LATE, store.find(name).orElseThrow().state());
    }

    @Test
    void aPingRacingTheSweepAlwaysLeavesTheHeartbeatAliveAndNothingOpen() throws Exception {
        // Whichever comes first - the ping before the claim, between the claim and the record of the incident, or
        // after it - the heartbeat ends waiting and no incident of it stays open.
        String name = name("racing");
        create(name, "1m", "0s");
        for (int round = 0; round < 8; round++) {
            Instant at = t0.plus(Duration.ofMinutes(10L * (round + 1))); // beyond the dedup window of the last round
            clock.set(at.minus(Duration.ofMinutes(2)));
            ping(name);
            clock.set(at);
            CountDownLatch start = new CountDownLatch(1);
            var sweeping = CompletableFuture.supplyAsync(() -> {
                await(start);
                return sweep.run(at);
            });
            var pinging = CompletableFuture.supplyAsync(() -> {
                await(start);
                return ping(name);
            });
            start.countDown();
            sweeping.get();
            pinging.get();
            Heartbeat after = store.find(name).orElseThrow();
            assertEquals(HeartbeatState.WAITING, after.state(), "round " + round);
            assertEquals(at, after.lastPingAt());
            assertEquals(List.of(), incidents.openWithDedupKey("heartbeat:" + name), "round " + round);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLateHeartbeatInsideAMaintenanceWindowIsNotPagedAndLookedAtAgainAnIntervalLater() {
        String name = name("maintained");
        create(name, "5m", "0s");
        maintenance.maintenance(JSON.createObjectNode().put("action", "create").put("reason", "backup host down")
                .put("start", t0.toString()).put("end", t0.plus(Duration.ofMinutes(20)).toString())
                .set("sources", JSON.createArrayNode().add("heartbeat:" + name)));
        Instant late = t0.plus(Duration.ofMinutes(6));
        clock.set(late);
        HeartbeatSweep.Report report = sweep.run(late);
        assertTrue(report.suppressed().contains(name), report.toString());
        Heartbeat waiting = store.find(name).orElseThrow();
        assertEquals(HeartbeatState.WAITING, waiting.state());
        assertEquals(late.plus(Duration.ofMinutes(5)), waiting.dueAt());
        assertEquals(1, sweepAt(t0.plus(Duration.ofMinutes(21)), name).size(), "after the window, still silent: paged");
    }

    @Test
    void aSweepWithoutBudgetLeftRaisesNothingSaysSoAndTheNextRunRaisesIt() {
        String name = name("budget");
        create(name, "5m", "0s");
        Instant late = t0.plus(Duration.ofMinutes(6));
        clock.set(late);
        HeartbeatSweep.Report spent = sweep.run(late, io.tocsin.time.Deadline.in(Duration.ZERO));
        assertFalse(spent.complete(), "stopped at the budget: " + spent);
        assertEquals(List.of(), spent.raised(), "no raise started without the time for it");
        assertEquals(HeartbeatState.WAITING, store.find(name).orElseThrow().state(), "still due, not claimed");
        assertEquals(1, sweepAt(late, name).size(), "the next run (with budget) raises it");
    }

    @Test
    void theSweepReadsOnlyWhatIsDue() {
        Instant at = t0.plus(Duration.ofDays(3));
        clock.set(at);
        sweep.run(at); // anything other tests left due is raised now, and leaves the index
        for (int i = 0; i < 20; i++) {
            ping(name("not-due")); // due at + 10 min
        }
        String due = name("due");
        clock.set(at.minus(Duration.ofMinutes(11)));
        ping(due); // due at - 1 min
        clock.set(at);
        maintenancePolicy.windowFor(new Alert(Severity.LOW, "warm-up", "", "warm-up", JSON.createObjectNode(),
                "warm-up", false, null, at), at); // the windows are read once per cache TTL, not per alert
        var measured = DynamoRequestMeter.measure(() -> sweep.run(at));
        assertEquals(List.of(due), measured.result().raised());
        assertEquals(1, measured.itemsScanned(), "the index Query read the one due heartbeat, none of the others");
        assertEquals(Map.of("Query", 1, "PutItem", 3, "UpdateItem", 1), measured.requests(),
                "the index; claim and record (PutItem); the alert's two ingest writes (claim UpdateItem, incident "
                        + "PutItem)");
    }

    @Test
    void theDashboardShowsEachHeartbeatWithItsLastPingDueTimeAndState() {
        String waiting = name("dash-waiting");
        String overdue = name("dash-overdue");
        String late = name("dash-late");
        String never = name("dash-never");
        clock.set(t0);
        ping(late);
        clock.set(t0.plus(Duration.ofMinutes(1)));
        ping(overdue); // due at t0 + 11 min: after the sweep below, before the page view
        sweepAt(t0.plus(Duration.ofMinutes(10)).plusSeconds(1), late);
        clock.set(t0.plus(Duration.ofMinutes(15)));
        ping(waiting);
        create(never, "1h", "5m");
        String lateIncident = store.find(late).orElseThrow().incidentId();
        String html = dashboard.dashboard(null).path("html").asText();
        assertTrue(html.contains("<tr data-name=\"" + waiting + "\" data-state=\"waiting\">"), html);
        assertTrue(html.contains("<tr data-name=\"" + overdue + "\" data-state=\"overdue\">"),
                "past its deadline, not swept yet");
        assertTrue(html.contains("<tr data-name=\"" + late + "\" data-state=\"late\">"));
        assertTrue(html.contains("href=\"?incident=" + lateIncident + "\""), "a late heartbeat links its incident's page");
        String row = html.substring(html.indexOf("data-name=\"" + waiting + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertTrue(row.contains("2027-02-01 10:15 UTC") && row.contains("2027-02-01 10:25 UTC"), row);
        String neverRow = html.substring(html.indexOf("data-name=\"" + never + "\""));
        assertTrue(neverRow.substring(0, neverRow.indexOf("</tr>")).contains("never"), neverRow);
    }

    @Test
    void explicitDefinitionsListAndDeleteAndBadInputNamesTheField() {
        String name = name("weekly-report");
        JsonNode created = call(JSON.createObjectNode().put("action", "create").put("name", name)
                .put("interval", "7d").put("grace", 3600).put("severity", "critical"));
        assertEquals("PT168H", created.path("interval").asText(), created.toString());
        assertEquals(3600, created.path("grace_seconds").asInt());
        assertEquals("critical", created.path("severity").asText());
        assertEquals(t0.plus(Duration.ofDays(7)).plusSeconds(3600).toString(), created.path("due").asText(),
                "never pinged: counted from its creation");
        JsonNode changed = create(name, "1d", "1h");
        assertFalse(changed.path("created").asBoolean());
        assertEquals(t0.plus(Duration.ofDays(1)).plusSeconds(3600).toString(), changed.path("due").asText());

        JsonNode listed = call(JSON.createObjectNode().put("action", "list"));
        assertTrue(listed.path("heartbeats").findValuesAsText("name").contains(name), listed.toString());

        record Case(ObjectNode input, String field) {
        }
        for (Case c : List.of(
                new Case(JSON.createObjectNode().put("action", "ping"), "name"),
                new Case(JSON.createObjectNode().put("action", "ping").put("name", "has space"), "name"),
                new Case(JSON.createObjectNode().put("action", "create").put("name", "x").put("grace", "1m"), "interval"),
                new Case(JSON.createObjectNode().put("action", "create").put("name", "x").put("interval", "30s")
                        .put("grace", "1m"), "interval"),
                new Case(JSON.createObjectNode().put("action", "create").put("name", "x").put("interval", "soon")
                        .put("grace", "1m"), "interval"),
                new Case(JSON.createObjectNode().put("action", "create").put("name", "x").put("interval", "1h"), "grace"),
                new Case(JSON.createObjectNode().put("action", "create").put("name", "x").put("interval", "1h")
                        .put("grace", "1m").put("severity", "urgent"), "severity"),
                new Case(JSON.createObjectNode().put("action", "wave"), "action"))) {
            JsonNode answer = call(c.input());
            assertEquals("invalid_request", answer.path("error").asText(), c + " -> " + answer);
            assertEquals(c.field(), answer.path("problems").get(0).path("field").asText(), c + " -> " + answer);
        }
        assertTrue(store.find("x").isEmpty(), "nothing stored for rejected input");

        JsonNode deleted = call(JSON.createObjectNode().put("action", "delete").put("name", name));
        assertTrue(deleted.path("deleted").asBoolean());
        assertEquals("not_found", call(JSON.createObjectNode().put("action", "delete").put("name", name))
                .path("error").asText());
    }

    @Test
    void overApiGatewayAndFromAnAlertmanagerWatchdogReceiver() throws Exception {
        String name = name("api");
        JsonNode put = function.heartbeat(HttpEvents.request("PUT", "/heartbeats/" + name, Map.of("name", name),
                Map.of(), "{\"interval\":\"2m\",\"grace\":\"1m\"}"));
        assertEquals(201, HttpEvents.status(put), put.toString());
        JsonNode ping = function.heartbeat(HttpEvents.post("/heartbeats/" + name + "/ping", Map.of("name", name), null));
        assertEquals(200, HttpEvents.status(ping), ping.toString());
        assertEquals(1, HttpEvents.body(ping).path("pings").asInt());
        JsonNode list = function.heartbeat(HttpEvents.request("GET", "/heartbeats", Map.of(), Map.of(), null));
        assertEquals(200, HttpEvents.status(list));
        JsonNode bad = function.heartbeat(HttpEvents.request("PUT", "/heartbeats/" + name, Map.of("name", name),
                Map.of(), "{\"interval\":\"2m\"}"));
        assertEquals(400, HttpEvents.status(bad));
        assertEquals("grace", HttpEvents.body(bad).path("problems").get(0).path("field").asText());

        // Alertmanager's webhook for the Watchdog alert, posted to the heartbeat's ping route
        String watchdog = name("Watchdog");
        ObjectNode webhook = (ObjectNode) JSON.readTree("""
                {"version":"4","status":"firing","receiver":"tocsin-heartbeat","groupKey":"{}:{alertname=\\"Watchdog\\"}",
                 "alerts":[{"status":"firing","labels":{"alertname":"Watchdog","severity":"none"},
                 "annotations":{},"startsAt":"2027-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z"}]}""");
        JsonNode fromAlertmanager = function.heartbeat(HttpEvents.post("/heartbeats/" + watchdog + "/ping",
                Map.of("name", watchdog), webhook.toString()));
        assertEquals(200, HttpEvents.status(fromAlertmanager), fromAlertmanager.toString());
        assertTrue(HttpEvents.body(fromAlertmanager).path("pinged").asBoolean());
        assertEquals(watchdog, HttpEvents.body(fromAlertmanager).path("name").asText());
        // invoked without a name (the local run's POST /heartbeat): the firing alert's heartbeat label names it
        ((ObjectNode) webhook.path("alerts").get(0).path("labels")).put("heartbeat", watchdog);
        assertEquals(2, function.heartbeat(webhook).path("pings").asInt());
        // all resolved: Prometheus stopped sending the Watchdog; that is not a sign of life
        ((ObjectNode) webhook.path("alerts").get(0)).put("status", "resolved");
        JsonNode resolved = function.heartbeat(webhook);
        assertFalse(resolved.path("pinged").asBoolean(), resolved.toString());
        assertEquals(2, store.find(watchdog).orElseThrow().pings());
    }

    /**
     * docs/heartbeats.md: a new name past the limit (MAX_HEARTBEATS; a smaller one here, over the heartbeats the shared
     * table holds now) is refused and stores nothing; pinging or redefining an existing heartbeat still works.
     */
    @Test
    void newHeartbeatsPastTheLimitAreRefused() {
        HeartbeatService limited = new HeartbeatService(store, config, lifecycle, clock, (int) store.count() + 2);
        String first = name("cap-a");
        String second = name("cap-b");
        String third = name("cap-c");
        assertTrue(limited.ping(first).created());
        assertTrue(limited.define(second, Duration.ofHours(1), Duration.ofMinutes(5), null).created());
        long before = store.count();
        var refused = org.junit.jupiter.api.Assertions.assertThrows(HeartbeatService.LimitReached.class,
                () -> limited.ping(third));
        assertTrue(refused.getMessage().contains("MAX_HEARTBEATS"), refused.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(HeartbeatService.LimitReached.class,
                () -> limited.define(third, Duration.ofHours(1), Duration.ofMinutes(5), null));
        assertEquals(before, store.count(), "nothing stored");
        assertTrue(store.find(third).isEmpty());
        assertFalse(limited.ping(first).created(), "an existing heartbeat is still pinged");
    }
}
