package io.tocsin.cloudwatch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.alert.Severity;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;

/** CloudWatch alarms through the ingest function's real Lambda path: direct alarm action and SNS. */
@QuarkusTest
class CloudWatchLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IncidentStore incidents;
    @Inject
    io.tocsin.support.MutableClock clock;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
    }

    private static ObjectNode sample(String name) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Projects.root().resolve("events/ingest/" + name)));
    }

    /** The sample alarm under a name and ARN of its own, so that tests sharing the table never meet. */
    private static ObjectNode alarm(String sample, String alarmName) throws Exception {
        ObjectNode event = sample(sample);
        event.put("alarmArn", "arn:aws:cloudwatch:us-east-1:444455556666:alarm:" + alarmName);
        ((ObjectNode) event.path("alarmData")).put("alarmName", alarmName);
        return event;
    }

    private static JsonNode invoke(JsonNode event) throws Exception {
        return JSON.readTree(given().contentType("application/json").body(event.toString()).when().post().then()
                .statusCode(200).extract().asString());
    }

    @Test
    void alarmThenOkIsOneIncidentTriggeredThenResolvedAtPagerDuty() throws Exception {
        String name = "checkout-5xx-" + UUID.randomUUID();
        JsonNode raised = invoke(alarm("cloudwatch-metric-alarm-alarm.json", name));
        assertEquals("created", raised.path("status").asText(), raised.toString());
        String id = raised.path("incident_id").asText();
        Incident incident = incidents.findAsStored(id).orElseThrow();
        assertEquals(Severity.CRITICAL, incident.alert().severity(), "from the tocsin:severity=critical marker");
        assertEquals(name + " is in ALARM", incident.alert().title());
        assertEquals("cloudwatch:" + name, incident.alert().source());
        assertEquals("arn:aws:cloudwatch:us-east-1:444455556666:alarm:" + name, incident.alert().dedupKey());
        assertEquals("2023-08-04T12:36:15.490Z", incident.alert().metadata().path("state_changed_at").asText());

        JsonNode again = invoke(alarm("cloudwatch-metric-alarm-alarm.json", name));
        assertEquals("duplicate", again.path("reason").asText(), "the same alarm is one incident");

        JsonNode ok = invoke(alarm("cloudwatch-metric-alarm-ok.json", name));
        assertEquals("resolved", ok.path("status").asText(), ok.toString());
        Incident resolved = incidents.findAsStored(id).orElseThrow();
        assertEquals(IncidentStatus.RESOLVED, resolved.status());
        assertTrue(resolved.resolutionNotes().startsWith("CloudWatch alarm returned to OK: Threshold Crossed"),
                resolved.resolutionNotes());
        assertEquals(List.of("trigger", "resolve"), PagerDutyFake.eventsFor(id).stream()
                .map(e -> e.path("event_action").asText()).toList());

        JsonNode okAgain = invoke(alarm("cloudwatch-metric-alarm-ok.json", name));
        assertEquals("no_open_incident", okAgain.path("status").asText());
    }

    /**
     * CloudWatch sends ALARM only on a change of state: ALARM → OK → ALARM within minutes (well inside
     * ALERT_DEDUP_WINDOW) is a second problem, and is paged as one.
     */
    @Test
    void alarmOkAlarmWithinThreeMinutesIsTwoIncidentsAndTwoPages() throws Exception {
        String name = "flapping-" + UUID.randomUUID();
        String first = invoke(alarm("cloudwatch-metric-alarm-alarm.json", name)).path("incident_id").asText();
        clock.advance(java.time.Duration.ofMinutes(1));
        assertEquals("resolved", invoke(alarm("cloudwatch-metric-alarm-ok.json", name)).path("status").asText());
        clock.advance(java.time.Duration.ofMinutes(2));
        JsonNode again = invoke(alarm("cloudwatch-metric-alarm-alarm.json", name));
        assertEquals("created", again.path("status").asText(), again.toString());
        String second = again.path("incident_id").asText();
        assertTrue(!second.equals(first), "a second incident");
        assertEquals(List.of("trigger", "resolve"), actions(first));
        assertEquals(List.of("trigger"), actions(second), "a second page");
        assertEquals(2, PagerDutyFake.events().stream().map(PagerDutyFake::json)
                .filter(e -> e.path("event_action").asText().equals("trigger")).count());
    }

    private static List<String> actions(String id) {
        return PagerDutyFake.eventsFor(id).stream().map(e -> e.path("event_action").asText()).toList();
    }

    @Test
    void aCompositeAlarmWithoutAMarkerTakesTheDefaultSeverity() throws Exception {
        JsonNode raised = invoke(alarm("cloudwatch-composite-alarm.json", "composite-" + UUID.randomUUID()));
        assertEquals("created", raised.path("status").asText());
        assertEquals(Severity.HIGH, incidents.findAsStored(raised.path("incident_id").asText()).orElseThrow().alert().severity());
    }

    @Test
    void insufficientDataIsIgnoredAndStoresNothing() throws Exception {
        ObjectNode event = alarm("cloudwatch-metric-alarm-alarm.json", "flaky-" + UUID.randomUUID());
        ((ObjectNode) event.path("alarmData").path("state")).put("value", "INSUFFICIENT_DATA");
        assertEquals("ignored", invoke(event).path("status").asText());
        assertTrue(PagerDutyFake.events().isEmpty());
    }

    @Test
    void anAlarmThroughSnsRaisesAnAlert() throws Exception {
        ObjectNode event = sample("sns-alarm.json");
        ObjectNode sns = (ObjectNode) event.path("Records").get(0).path("Sns");
        ObjectNode message = (ObjectNode) JSON.readTree(sns.path("Message").asText());
        String name = "billing-db-cpu-" + UUID.randomUUID();
        message.put("AlarmName", name).put("AlarmArn", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:" + name);
        sns.put("Message", message.toString());
        JsonNode answer = invoke(event);
        JsonNode first = answer.path("alarms").get(0);
        assertEquals("created", first.path("status").asText(), answer.toString());
        Incident incident = incidents.findAsStored(first.path("incident_id").asText()).orElseThrow();
        assertEquals(Severity.HIGH, incident.alert().severity());
        assertEquals("EU (Ireland)", incident.alert().metadata().path("region").asText());
        assertEquals("CPUUtilization", incident.alert().metadata().path("trigger").path("MetricName").asText());
    }

    @Test
    void cloudWatchTimesWithoutAColonInTheOffsetParse() {
        assertEquals(Instant.parse("2023-08-04T12:36:15.490Z"), AlarmEvents.time("2023-08-04T12:36:15.490+0000"));
        assertEquals(Instant.parse("2023-08-04T10:36:15.490Z"), AlarmEvents.time("2023-08-04T12:36:15.490+02:00"));
        assertEquals(Instant.parse("2026-11-26T11:58:00.500Z"), AlarmEvents.time("2026-11-26T11:58:00.500Z"));
        assertEquals(null, AlarmEvents.time("yesterday"));
    }
}
