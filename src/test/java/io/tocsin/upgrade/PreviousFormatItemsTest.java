package io.tocsin.upgrade;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alert.Severity;
import io.tocsin.config.Settings;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.maintenance.MaintenanceStore;
import io.tocsin.maintenance.MaintenanceWindow;
import io.tocsin.summary.SummaryLedger;
import io.tocsin.support.Projects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Items written by the previous version of Tocsin (captured from dd9243d, {@code src/test/resources/upgrade/v1/}, see
 * its README) are loaded as they are into a fresh table and read by the current code: every incident through
 * {@link IncidentStore#findAsStored} and through the {@code incident} function on the Lambda path, with its status, severity,
 * title, escalation level and the state of each PagerDuty event; the sweep's indexes, the maintenance window and the
 * summary ledger as the current readers see them.
 */
@QuarkusTest
@TestProfile(PreviousFormatItemsTest.ExportIncident.class)
class PreviousFormatItemsTest {

    /** Its own application start, hence its own dynalite: the fixtures meet no other test's items. */
    public static class ExportIncident implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "incident");
        }
    }

    static final Path V1 = Projects.root().resolve("src/test/resources/upgrade/v1");
    private static boolean loaded;
    private static JsonNode cases;

    /** What the previous version left in each incident item, as its README describes it. */
    record Expected(String status, Severity severity, String title, int escalationLevel,
            Map<PagerDutyAction, String> deliveries) {
    }

    private static final Map<String, Expected> INCIDENTS = new LinkedHashMap<>();

    static {
        INCIDENTS.put("maintenance_suppressed", new Expected("suppressed", Severity.HIGH, "billing-db replication lag", 0,
                Map.of()));
        INCIDENTS.put("escalated_rest_level3", new Expected("triggered", Severity.CRITICAL, "checkout-api is down", 3,
                Map.of(PagerDutyAction.TRIGGER, "delivered")));
        INCIDENTS.put("escalated_email_level2", new Expected("triggered", Severity.CRITICAL,
                "payments-api error rate above 5%", 2, Map.of(PagerDutyAction.TRIGGER, "delivered")));
        INCIDENTS.put("resolved", new Expected("resolved", Severity.HIGH, "Disk usage above 85%", 1,
                Map.of(PagerDutyAction.TRIGGER, "delivered", PagerDutyAction.ACKNOWLEDGE, "delivered",
                        PagerDutyAction.RESOLVE, "delivered")));
        INCIDENTS.put("acknowledged", new Expected("acknowledged", Severity.HIGH, "orders queue depth growing", 1,
                Map.of(PagerDutyAction.TRIGGER, "delivered", PagerDutyAction.ACKNOWLEDGE, "delivered")));
        INCIDENTS.put("acknowledged_in_pagerduty", new Expected("acknowledged", Severity.LOW,
                "TLS certificate expires in 20 days", 1, Map.of(PagerDutyAction.TRIGGER, "delivered")));
        INCIDENTS.put("open_triggered_delivered", new Expected("triggered", Severity.HIGH, "p99 latency above 2 s", 1,
                Map.of(PagerDutyAction.TRIGGER, "delivered")));
        INCIDENTS.put("trigger_failed", new Expected("triggered", Severity.MEDIUM, "nightly export late", 1,
                Map.of(PagerDutyAction.TRIGGER, "failed")));
        INCIDENTS.put("pending_trigger", new Expected("triggered", Severity.CRITICAL, "search cluster red", 1,
                Map.of(PagerDutyAction.TRIGGER, "pending")));
        INCIDENTS.put("pending_trigger_held_acknowledge", new Expected("acknowledged", Severity.HIGH,
                "cache hit ratio below 50%", 1,
                Map.of(PagerDutyAction.TRIGGER, "pending", PagerDutyAction.ACKNOWLEDGE, "pending")));
        INCIDENTS.put("pending_trigger_held_acknowledge_and_resolve", new Expected("resolved", Severity.MEDIUM,
                "bounce rate elevated", 1, Map.of(PagerDutyAction.TRIGGER, "pending", PagerDutyAction.ACKNOWLEDGE,
                        "pending", PagerDutyAction.RESOLVE, "pending")));
    }

    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;
    @Inject
    IncidentStore incidents;
    @Inject
    MaintenanceStore maintenance;
    @Inject
    SummaryLedger ledger;

    @BeforeEach
    void loadOnce() throws Exception {
        if (!loaded) {
            int count = Fixtures.load(dynamo, settings.tableName(), V1.resolve("items.json")).size();
            assertEquals(25, count, "items in upgrade/v1/items.json");
            cases = Fixtures.JSON.readTree(Files.readString(V1.resolve("cases.json"))).path("cases");
            loaded = true;
        }
    }

    private static String id(String caseName) {
        JsonNode c = cases.path(caseName);
        assertTrue(c.isObject(), "cases.json names " + caseName);
        return c.path("pk").asText().substring("INC#".length());
    }

    @Test
    void theFixturesNameEveryCaseTheirREADMEDescribes() throws Exception {
        Set<String> names = new java.util.TreeSet<>();
        cases.fieldNames().forEachRemaining(names::add);
        Set<String> expected = new java.util.TreeSet<>(INCIDENTS.keySet());
        expected.addAll(List.of("maintenance_window", "claim_with_incident", "claim_without_incident",
                "webhook_receipt", "summary_sent"));
        assertEquals(expected, names);
        String readme = Files.readString(V1.resolve("README.md"));
        for (String name : names) {
            assertTrue(readme.contains("`" + name + "`"), "README lists " + name);
        }
    }

    @Test
    void everyIncidentIsReadByTheStore() {
        for (var entry : INCIDENTS.entrySet()) {
            String name = entry.getKey();
            Expected expected = entry.getValue();
            Incident incident = incidents.findAsStored(id(name)).orElseThrow(() -> new AssertionError(name + " not found"));
            assertEquals(expected.status(), incident.status().wire(), name);
            assertEquals(expected.severity(), incident.alert().severity(), name);
            assertEquals(expected.title(), incident.alert().title(), name);
            assertEquals(expected.escalationLevel(), incident.escalationLevel(), name);
            Map<PagerDutyAction, String> states = new TreeMap<>();
            incident.deliveries().forEach((action, delivery) -> states.put(action, delivery.state().wire()));
            assertEquals(new TreeMap<>(expected.deliveries()), states, name + ": PagerDuty events");
            assertFalse(incident.timeline().isEmpty(), name + ": timeline");
        }
    }

    @Test
    void theDetailsOfEachCaseSurvive() {
        Incident suppressed = incidents.findAsStored(id("maintenance_suppressed")).orElseThrow();
        assertEquals(SuppressionReason.MAINTENANCE, suppressed.suppressedReason());
        String windowKey = cases.path("maintenance_window").path("sk").asText();
        assertEquals(windowKey.substring(windowKey.indexOf('#') + 1), suppressed.maintenanceWindowId());

        Incident rest = incidents.findAsStored(id("escalated_rest_level3")).orElseThrow();
        assertEquals(1, rest.duplicateCount());
        assertEquals(1, incidents.findWithDuplicates(id("escalated_rest_level3")).orElseThrow().duplicateCount(),
                "read with its claim (hits 2) folded in: the one duplicate, not counted twice");
        assertNull(rest.nextEscalationAt(), "level 3 is the last");
        assertTrue(rest.timeline().stream().anyMatch(e -> e.detail() != null && e.detail().contains("raised to level 3")));

        Incident email = incidents.findAsStored(id("escalated_email_level2")).orElseThrow();
        assertEquals(email.createdAt().plusSeconds(30 * 60), email.nextEscalationAt(), "level 3 due at twice the timeout");
        assertTrue(email.timeline().stream().anyMatch(e -> e.detail() != null && e.detail().startsWith("emailed")));

        Incident resolved = incidents.findAsStored(id("resolved")).orElseThrow();
        assertEquals("cleaned up old WAL files", resolved.resolutionNotes());
        assertEquals("alice", resolved.acknowledgedBy());
        assertEquals("disk_usage_high", resolved.alert().rule());
        assertEquals(9 * 60L, resolved.timeToResolve().toSeconds());

        assertEquals("PagerDuty: Carol Oncall",
                incidents.findAsStored(id("acknowledged_in_pagerduty")).orElseThrow().acknowledgedBy());

        Delivery refused = incidents.findAsStored(id("trigger_failed")).orElseThrow().delivery();
        assertEquals(400, refused.lastStatus());
        assertFalse(refused.retryable());

        Delivery pending = incidents.findAsStored(id("pending_trigger")).orElseThrow().delivery();
        assertEquals(4, pending.attempts(), "3 in the invocation, 1 by the sweep");
        assertEquals(503, pending.lastStatus());
        assertTrue(pending.retryable());
        assertTrue(pending.nextAttempt() != null);

        Incident held = incidents.findAsStored(id("pending_trigger_held_acknowledge")).orElseThrow();
        Delivery heldAck = held.deliveries().get(PagerDutyAction.ACKNOWLEDGE);
        assertEquals(0, heldAck.attempts());
        assertEquals(List.of("held until the pending trigger is delivered"), heldAck.errors());
    }

    @Test
    void theIncidentFunctionAnswersForEveryIncident() {
        for (var entry : INCIDENTS.entrySet()) {
            String name = entry.getKey();
            Expected expected = entry.getValue();
            var answer = given().contentType("application/json").body(Map.of("incident_id", id(name)))
                    .when().post().then().statusCode(200).extract().jsonPath();
            assertEquals(id(name), answer.getString("incident_id"), name);
            assertEquals(expected.status(), answer.getString("status"), name);
            assertEquals(expected.severity().wire(), answer.getString("severity"), name);
            assertEquals(expected.title(), answer.getString("title"), name);
            assertEquals(expected.escalationLevel(), answer.getInt("escalation_level"), name);
            Map<String, Object> pagerDuty = answer.getMap("pagerduty");
            assertEquals(expected.deliveries().keySet().stream().map(PagerDutyAction::wire).collect(Collectors.toSet()),
                    pagerDuty.keySet(), name);
            expected.deliveries().forEach((action, state) ->
                    assertEquals(state, answer.getString("pagerduty." + action.wire() + ".state"), name + " " + action));
        }
    }

    @Test
    void aClaimWhoseIncidentWasNeverWrittenHasNoIncident() {
        String orphan = cases.path("claim_without_incident").path("incident_id").asText();
        assertEquals(36, orphan.length(), "the orphan's incident id from cases.json");
        assertTrue(incidents.findAsStored(orphan).isEmpty());
        var answer = given().contentType("application/json").body(Map.of("incident_id", orphan))
                .when().post().then().statusCode(200).extract().jsonPath();
        assertEquals("not_found", answer.getString("error"), answer.prettify());
    }

    @Test
    void theSweepsIndexesFindWhatThePreviousVersionLeftDue() {
        Instant later = Instant.parse("2026-11-21T00:00:00Z");
        Set<String> pendingIds = incidents.dueForDelivery(later, 100).stream().map(Incident::id)
                .collect(Collectors.toSet());
        assertEquals(Set.of(id("pending_trigger"), id("pending_trigger_held_acknowledge"),
                id("pending_trigger_held_acknowledge_and_resolve")), pendingIds);
        Set<String> escalationIds = incidents.dueForEscalation(later, 100).stream().map(Incident::id)
                .collect(Collectors.toSet());
        assertEquals(Set.of(id("escalated_email_level2"), id("pending_trigger")), escalationIds);
        Set<String> open = incidents.open().stream().map(Incident::id).collect(Collectors.toSet());
        assertEquals(Set.of(id("escalated_rest_level3"), id("escalated_email_level2"), id("acknowledged"),
                id("acknowledged_in_pagerduty"), id("open_triggered_delivered"), id("trigger_failed"),
                id("pending_trigger"), id("pending_trigger_held_acknowledge")), open);
    }

    @Test
    void theMaintenanceWindowAndTheSummaryLedgerAreRead() {
        List<MaintenanceWindow> windows = maintenance.current(Instant.parse("2026-11-20T09:00:00Z"));
        assertEquals(1, windows.size());
        MaintenanceWindow window = windows.get(0);
        assertEquals("Postgres 16 upgrade", window.reason());
        assertEquals(Set.of("billing-db"), window.sources());
        assertEquals(Instant.parse("2026-11-20T11:00:00Z"), window.end());

        // the day was sent by the previous version: claiming it again is refused, and nothing is written
        var claim = ledger.claim(LocalDate.parse("2026-11-21"), "upgrade-test", Instant.parse("2026-11-21T08:05:00Z"),
                Instant.parse("2026-11-21T08:06:30Z"));
        assertEquals(Instant.parse("2026-11-21T08:00:00Z"),
                assertInstanceOf(SummaryLedger.Claim.AlreadySent.class, claim).sentAt());
    }
}
