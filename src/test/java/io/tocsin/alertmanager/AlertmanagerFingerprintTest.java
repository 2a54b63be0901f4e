package io.tocsin.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.alert.LabelFingerprint;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/**
 * Alertmanager payloads without a {@code fingerprint} (older Alertmanagers, relays): one incident per label set, and
 * the resolved payload closes each one.
 */
@QuarkusTest
class AlertmanagerFingerprintTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INSTANCES = 19;

    @Inject
    AlertmanagerFunction function;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;

    private String run;

    @BeforeEach
    void setUp() {
        PagerDutyFake.reset();
        clock.set(Instant.parse("2026-12-02T09:00:00Z"));
        run = UUID.randomUUID().toString(); // the table is shared with other tests
    }

    /** One group of 19 alerts about 19 instances; labels written in {@code reversed} order when asked. */
    private ObjectNode group(String status, boolean reversed) {
        ObjectNode webhook = JSON.createObjectNode().put("version", "4").put("status", status)
                .put("receiver", "tocsin").put("groupKey", "{}:{alertname=\"InstanceDown\"}");
        webhook.putObject("commonLabels").put("alertname", "InstanceDown").put("job", "node");
        for (int i = 1; i <= INSTANCES; i++) {
            ObjectNode alert = webhook.withArray("alerts").addObject().put("status", status);
            ObjectNode labels = alert.putObject("labels");
            List<String[]> pairs = new ArrayList<>(List.of(new String[] {"alertname", "InstanceDown"},
                    new String[] {"instance", "10.0.0." + i + ":9100"}, new String[] {"job", "node"},
                    new String[] {"severity", "critical"}, new String[] {"run", run}));
            if (reversed) {
                java.util.Collections.reverse(pairs);
            }
            pairs.forEach(p -> labels.put(p[0], p[1]));
            alert.putObject("annotations").put("summary", "instance 10.0.0." + i + " is down");
            alert.put("startsAt", "2026-12-02T08:58:00Z");
            alert.put("endsAt", "resolved".equals(status) ? "2026-12-02T09:10:00Z" : "0001-01-01T00:00:00Z");
        }
        return webhook;
    }

    @Test
    void nineteenAlertsWithoutFingerprintAreNineteenIncidentsAndTheirResolvesCloseEachOne() {
        JsonNode fired = function.alertmanager(group("firing", false));
        Set<String> ids = new LinkedHashSet<>();
        Set<String> fingerprints = new LinkedHashSet<>();
        for (JsonNode result : fired.path("alerts")) {
            assertEquals("created", result.path("status").asText(), fired.toString());
            assertTrue(result.path("fingerprint_computed").asBoolean(), result.toString());
            ids.add(result.path("incident_id").asText());
            fingerprints.add(result.path("fingerprint").asText());
        }
        assertEquals(INSTANCES, ids.size(), "one incident per instance: " + fired);
        assertEquals(INSTANCES, fingerprints.size());
        Set<String> keys = new LinkedHashSet<>();
        for (String id : ids) {
            var incident = incidents.findAsStored(id).orElseThrow();
            assertEquals(IncidentStatus.TRIGGERED, incident.status());
            keys.add(incident.alert().dedupKey());
            assertEquals(1, PagerDutyFake.eventsFor(id).size(), "each instance paged once");
        }
        assertEquals(INSTANCES, keys.size(), "19 dedup keys: " + keys);

        // The same group firing again (labels in another order) joins the same 19 incidents.
        clock.set(Instant.parse("2026-12-02T09:01:00Z"));
        JsonNode again = function.alertmanager(group("firing", true));
        for (JsonNode result : again.path("alerts")) {
            assertEquals("suppressed", result.path("status").asText(), again.toString());
            assertTrue(ids.contains(result.path("incident_id").asText()), result.toString());
        }

        // Resolved, without fingerprints and with the labels in another order: each incident is found and closed.
        clock.set(Instant.parse("2026-12-02T09:10:00Z"));
        JsonNode resolved = function.alertmanager(group("resolved", true));
        Set<String> closed = new LinkedHashSet<>();
        for (JsonNode result : resolved.path("alerts")) {
            assertEquals("resolved", result.path("status").asText(), resolved.toString());
            assertEquals(1, result.path("incident_ids").size(), result.toString());
            closed.add(result.path("incident_ids").get(0).asText());
        }
        assertEquals(ids, closed);
        for (String id : ids) {
            assertEquals(IncidentStatus.RESOLVED, incidents.findAsStored(id).orElseThrow().status());
            List<JsonNode> events = PagerDutyFake.eventsFor(id);
            assertEquals("resolve", events.get(events.size() - 1).path("event_action").asText());
        }
    }

    @Test
    void aComputedFingerprintIsTheOneAlertmanagerSends() {
        ObjectNode firing = group("firing", false);
        JsonNode first = firing.path("alerts").get(0);
        String fingerprint = LabelFingerprint.of(AlertmanagerAlerts.labels(first.path("labels")));
        // a relay that drops the fingerprint, then Alertmanager itself sending it: one incident
        ObjectNode withoutField = JSON.createObjectNode().put("version", "4").put("receiver", "tocsin");
        withoutField.withArray("alerts").add(first.deepCopy());
        String id = function.alertmanager(withoutField).path("alerts").get(0).path("incident_id").asText();
        ObjectNode resolved = JSON.createObjectNode().put("version", "4").put("receiver", "tocsin");
        ObjectNode alert = (ObjectNode) first.deepCopy();
        alert.put("status", "resolved").put("fingerprint", fingerprint);
        resolved.withArray("alerts").add(alert);
        JsonNode done = function.alertmanager(resolved).path("alerts").get(0);
        assertEquals("resolved", done.path("status").asText(), done.toString());
        assertEquals(id, done.path("incident_ids").get(0).asText());
        assertFalse(done.has("fingerprint_computed"));
    }
}
