package io.tocsin.guarantees;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.sweep.SweepFunction;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStore;
import io.tocsin.entry.IngestFunction;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.SmtpServer;

/**
 * PagerDuty down (Events API and REST API alike) for an hour of moved clock, the sweep running every minute as
 * EventBridge runs it: escalations still reach people on time (the REST escalation cannot be made, so its fallback
 * email goes out in the same run), and once PagerDuty is back every held event is delivered once, in order.
 */
@QuarkusTest
@TestProfile(OutageTest.Profile.class)
class OutageTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the default test configuration has PAGERDUTY_API_KEY: escalations go through the REST API
            return Map.of("alert.summary-email.recipients", "oncall@example.com");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServer.class));
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
    void reset() throws Exception {
        PagerDutyFake.reset();
        SmtpServer.greenMail().purgeEmailFromAllMailboxes();
        clock.set(Instant.parse("2031-04-01T09:00:00Z"));
    }

    @Test
    void anHourOfOutageEscalatesOnTimeByEmailThenDeliversEverythingOnceInOrder() {
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)
                .withBody("{\"status\":\"unavailable\"}")));
        String title = "payments down " + UUID.randomUUID();
        ObjectNode alert = JSON.createObjectNode().put("severity", "critical").put("title", title)
                .put("source", "outage-test");
        JsonNode created = ingest.ingest(alert);
        String id = created.path("incident_id").asText();
        assertEquals("pending", created.path("delivery").asText());
        String acked = ingest.ingest(JSON.createObjectNode().put("severity", "high").put("title", title + " (2)")
                .put("source", "outage-test")).path("incident_id").asText();
        Instant start = clock.instant();

        List<String> escalationMinutes = new ArrayList<>();
        for (int minute = 1; minute <= 60; minute++) {
            clock.set(start.plus(Duration.ofMinutes(minute)));
            if (minute == 20) {
                lifecycle.acknowledge(acked, "alice"); // held behind its pending trigger
            }
            sweep.sweep(JSON.createObjectNode());
            for (String subject : SmtpServer.subjects()) {
                if (subject.startsWith("[Tocsin] Escalated to level") && subject.endsWith(title)
                        && !escalationMinutes.contains(subject)) {
                    escalationMinutes.add(subject);
                    escalationMinutes.add("at minute " + minute);
                }
            }
        }
        assertEquals(List.of("[Tocsin] Escalated to level 2: " + title, "at minute 15",
                "[Tocsin] Escalated to level 3: " + title, "at minute 30"), escalationMinutes,
                "each level's email in the sweep run where it fell due, though PagerDuty was down");
        assertTrue(incidents.findAsStored(id).orElseThrow().hasPendingEffects(), "the trigger still waits for PagerDuty");

        PagerDutyFake.reset(); // PagerDuty is back: what it receives from now on
        for (int run = 0; run < 40 && (incidents.findAsStored(id).orElseThrow().hasPendingEffects()
                || incidents.findAsStored(acked).orElseThrow().hasPendingEffects()); run++) {
            clock.advance(Duration.ofMinutes(1));
            sweep.sweep(JSON.createObjectNode());
        }
        assertEquals(List.of("trigger"), actions(id), "the page, once");
        assertEquals(List.of("trigger", "acknowledge"), actions(acked), "trigger then acknowledge, once each");
        assertFalse(incidents.findAsStored(id).orElseThrow().hasPendingEffects());
        assertFalse(incidents.findAsStored(acked).orElseThrow().hasPendingEffects());
        assertTrue(PagerDutyFake.escalations().isEmpty(),
                "escalations already made by email are not made again through the REST API later");
    }

    private static List<String> actions(String id) {
        return PagerDutyFake.eventsFor(id).stream().map(e -> e.path("event_action").asText()).toList();
    }

}
