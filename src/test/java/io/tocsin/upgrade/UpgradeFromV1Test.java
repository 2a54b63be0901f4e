package io.tocsin.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.sweep.SweepFunction;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.entry.IngestFunction;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;
import io.tocsin.support.SmtpServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * An upgrade over a running stack: the items the previous version wrote (format 1, captured from dd9243d:
 * {@code src/test/resources/upgrade/v1/}) are finished by this version. Held and pending PagerDuty events are sent in
 * order by the sweep, escalation goes on where it stopped, acknowledges and resolves work on old incidents, an alert
 * joins its old open incident, and a claim whose invocation died before the upgrade is finished by the alert's retry.
 * Every incident item the new code changes is upgraded to format 2 on that change.
 */
@QuarkusTest
@TestProfile(UpgradeFromV1Test.Profile.class)
class UpgradeFromV1Test {

    /** Its own table; escalations by email (the stack had no PagerDuty API key for this part). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pagerduty.api-key", "", "alert.summary-email.recipients", "oncall@example.com");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServer.class));
        }
    }

    static final Path V1 = Projects.root().resolve("src/test/resources/upgrade/v1");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two hours after the previous version's scenario began (its T0). */
    private static final Instant UPGRADED_AT = Instant.parse("2026-11-20T11:00:00Z");

    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;
    @Inject
    IncidentStore incidents;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    SweepFunction sweep;
    @Inject
    IngestFunction ingest;
    @Inject
    MutableClock clock;
    @Inject
    io.tocsin.metrics.Rollups rollups;
    @Inject
    io.tocsin.metrics.IncidentMetrics metrics;
    @Inject
    io.tocsin.incident.IncidentHistory history;

    private JsonNode cases;

    private String id(String caseName) {
        return cases.path(caseName).path("pk").asText().substring("INC#".length());
    }

    private static List<String> actions(String id) {
        return PagerDutyFake.eventsFor(id).stream().map(e -> e.path("event_action").asText()).toList();
    }

    private Incident incident(String caseName) {
        return incidents.findAsStored(id(caseName)).orElseThrow();
    }

    private String format(String caseName) {
        var item = item(caseName);
        return item.containsKey("fmt") ? item.get("fmt").n() : "1";
    }

    private Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item(String caseName) {
        return dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName()).consistentRead(true)
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("INC#"
                        + id(caseName)), "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue
                                .fromS("META"))).build()).item();
    }

    @Test
    void theNewVersionFinishesWhatThePreviousOneLeft() throws Exception {
        Fixtures.load(dynamo, settings.tableName(), V1.resolve("items.json"));
        cases = JSON.readTree(Files.readString(V1.resolve("cases.json"))).path("cases");
        PagerDutyFake.reset();
        SmtpServer.greenMail().purgeEmailFromAllMailboxes();
        clock.set(UPGRADED_AT);

        // the sweeps after the upgrade, a minute apart, past every lease
        for (int i = 0; i < 5; i++) {
            sweep.sweep(JSON.createObjectNode());
            clock.advance(Duration.ofMinutes(2));
        }
        assertEquals(List.of("trigger"), actions(id("pending_trigger")), "the pending trigger, once");
        assertEquals(List.of("trigger", "acknowledge"), actions(id("pending_trigger_held_acknowledge")),
                "the held acknowledge after its trigger");
        assertEquals(List.of("resolve"), actions(id("pending_trigger_held_acknowledge_and_resolve")),
                "resolved before PagerDuty had the trigger: trigger and acknowledge superseded, the resolve sent");
        Incident supersededOne = incident("pending_trigger_held_acknowledge_and_resolve");
        assertEquals(DeliveryState.SUPERSEDED, supersededOne.deliveries().get(PagerDutyAction.TRIGGER).state());
        assertEquals(DeliveryState.DELIVERED, supersededOne.deliveries().get(PagerDutyAction.RESOLVE).state());
        for (String name : List.of("pending_trigger", "pending_trigger_held_acknowledge",
                "pending_trigger_held_acknowledge_and_resolve")) {
            assertFalse(incident(name).hasPendingEffects(), name);
            assertEquals("2", format(name), name + " upgraded on its first change");
        }
        assertEquals(3, incident("escalated_email_level2").escalationLevel(), "escalation goes on where it stopped");
        assertTrue(SmtpServer.subjects().contains("[Tocsin] Escalated to level 3: payments-api error rate above 5%"),
                SmtpServer.subjects().toString());
        assertTrue(incident("pending_trigger").escalationLevel() > 1, "a critical incident past its timeout escalates");

        // people act on old incidents
        lifecycle.acknowledge(id("open_triggered_delivered"), "erin");
        lifecycle.resolve(id("open_triggered_delivered"), "rolled back the deploy", "erin");
        assertEquals(List.of("acknowledge", "resolve"), actions(id("open_triggered_delivered")));
        lifecycle.resolve(id("acknowledged"), "queue drained", "bob");
        assertEquals(List.of("resolve"), actions(id("acknowledged")));
        lifecycle.acknowledge(id("trigger_failed"), "frank");
        assertEquals(IncidentStatus.ACKNOWLEDGED, incident("trigger_failed").status());
        assertEquals(List.of(), actions(id("trigger_failed")), "PagerDuty refused its trigger: nothing to acknowledge");
        assertEquals(IncidentStatus.RESOLVED, incident("open_triggered_delivered").status());
        assertEquals("2", format("open_triggered_delivered"));
        // retention (TOCSIN_RETENTION): an old incident resolved now expires from now on; one the previous version
        // closed has no expiry and stays readable (deleting it is the operator's choice, docs/upgrades.md)
        assertEquals(clock.instant().plus(settings.retention().orElseThrow()).getEpochSecond(),
                Long.parseLong(item("open_triggered_delivered").get("expires_at").n()));
        assertFalse(item("resolved").containsKey("expires_at"));
        assertTrue(incidents.findWithDuplicates(id("resolved")).isPresent());

        // an alert joins its old open incident; a claim whose invocation died before the upgrade is finished
        String joined = cases.path("claim_with_incident").path("incident_id").asText();
        long before = incidents.findWithDuplicates(joined).orElseThrow().duplicateCount();
        JsonNode duplicate = ingest.ingest(JSON.createObjectNode().put("severity", "critical")
                .put("title", "checkout-api is down").put("source", "checkout-api")
                .put("dedup_key", "checkout-api/healthz"));
        assertEquals(joined, duplicate.path("incident_id").asText(), duplicate.toString());
        assertEquals(before + 1, incidents.findWithDuplicates(joined).orElseThrow().duplicateCount());
        String orphan = cases.path("claim_without_incident").path("incident_id").asText();
        assertTrue(incidents.findAsStored(orphan).isEmpty());
        JsonNode retried = ingest.ingest(JSON.createObjectNode().put("severity", "high").put("title", "retry")
                .put("source", "inventory").put("dedup_key", "inventory/sync"));
        assertEquals(orphan, retried.path("incident_id").asText(), retried.toString());
        assertEquals("created", retried.path("status").asText());
        assertEquals(List.of("trigger"), actions(orphan), "its page, from the alert the old claim stored");

        // metrics: the first sweep started the rollups from a whole hour after the upgrade; everything created before
        // it (the previous version's incidents, closed by it or by this version) is read the old way, what is created
        // after it from the rollups, and a window spanning both gives what every incident read one by one gives
        io.tocsin.metrics.Rollups.State state = rollups.state();
        assertTrue(state != null && state.since().isAfter(UPGRADED_AT), "rollups started by the first sweep: " + state);
        clock.set(state.since().plus(Duration.ofMinutes(10)));
        JsonNode fresh = ingest.ingest(JSON.createObjectNode().put("severity", "high").put("title", "after the upgrade")
                .put("source", "checkout-api").put("dedup_key", "after/upgrade"));
        clock.advance(Duration.ofMinutes(5));
        lifecycle.acknowledge(fresh.path("incident_id").asText(), "erin");
        clock.advance(Duration.ofMinutes(5));
        lifecycle.resolve(fresh.path("incident_id").asText(), "fixed", "erin");
        clock.set(state.since().plus(Duration.ofHours(2)));
        JsonNode swept = sweep.sweep(JSON.createObjectNode());
        assertEquals(1, swept.path("rollups").path("folded").asInt(), "the new incident's closure folded: " + swept);
        Instant from = UPGRADED_AT.minus(Duration.ofDays(2));
        Instant to = clock.instant();
        io.tocsin.metrics.FigureSums everyIncident = new io.tocsin.metrics.FigureSums();
        history.all(from, to.minusMillis(1)).forEach(everyIncident::add);
        io.tocsin.metrics.Figures figures = metrics.compute(from, to);
        assertEquals(everyIncident.figures(from, to), figures);
        assertTrue(figures.counts().total() >= 8, "the previous version's incidents are counted: " + figures);
    }
}
