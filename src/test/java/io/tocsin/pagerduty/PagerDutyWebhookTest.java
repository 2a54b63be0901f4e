package io.tocsin.pagerduty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
import io.tocsin.config.Secret;
import io.tocsin.entry.PagerDutyWebhookFunction;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.TimelineEvent;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.PagerDutyFake;

/** PagerDuty webhooks v3: signatures, sync of acknowledge/resolve without echo, redelivery applied once. */
@QuarkusTest
class PagerDutyWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The secret configured for tests (%test.pagerduty.webhook-secret). */
    private static final Secret CURRENT = new Secret("whsec-current-0123456789");
    private static final Secret OLD = new Secret("whsec-old-9876543210");

    @Inject
    PagerDutyWebhookFunction function;
    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;

    @Inject
    io.tocsin.support.MutableClock clock;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
        clock.set(java.time.Instant.parse("2026-11-26T12:00:00Z"));
    }

    private String newIncident() {
        ObjectNode alert = JSON.createObjectNode().put("severity", "critical").put("title", "Service down")
                .put("source", "web-" + UUID.randomUUID());
        String id = assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
        PagerDutyFake.reset();
        return id;
    }

    private static String body(String type, String incidentKey, Object resolveReason) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode event = root.putObject("event");
        event.put("id", "01" + UUID.randomUUID().toString().replace("-", "").toUpperCase());
        event.put("event_type", type);
        event.put("resource_type", "incident");
        event.put("occurred_at", "2026-11-26T12:05:00.000Z");
        event.putObject("agent").put("id", "PABC123").put("type", "user_reference").put("summary", "Carol Oncall");
        ObjectNode data = event.putObject("data");
        data.put("id", "Q1SXYZ");
        data.put("type", "incident");
        data.put("status", type.endsWith("resolved") ? "resolved" : "acknowledged");
        data.put("incident_key", incidentKey);
        data.put("title", "Service down");
        data.set("resolve_reason", JSON.valueToTree(resolveReason));
        return root.toString();
    }

    private JsonNode deliver(String body, String signature, String webhookId) {
        Map<String, String> headers = new java.util.HashMap<>();
        if (signature != null) {
            headers.put("X-PagerDuty-Signature", signature);
        }
        headers.put("X-Webhook-Id", webhookId);
        return function.webhook(HttpEvents.request("POST", "/pagerduty/webhook", Map.of(), headers, body));
    }

    private static String sign(String body, Secret secret) {
        return WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8), secret);
    }

    @Test
    void anAcknowledgmentInPagerDutyIsAppliedWithItsAgentAndNotEchoed() {
        String id = newIncident();
        String body = body("incident.acknowledged", id, null);
        JsonNode answer = deliver(body, sign(body, CURRENT), UUID.randomUUID().toString());
        assertEquals(200, HttpEvents.status(answer));
        assertEquals("applied", HttpEvents.body(answer).path("result").asText());
        Incident incident = incidents.findAsStored(id).orElseThrow();
        assertEquals(IncidentStatus.ACKNOWLEDGED, incident.status());
        assertEquals("PagerDuty: Carol Oncall", incident.acknowledgedBy());
        TimelineEvent last = incident.timeline().get(incident.timeline().size() - 1);
        assertEquals(TimelineEvent.Type.ACKNOWLEDGED, last.type());
        assertTrue(last.detail().startsWith("synced from PagerDuty"), last.detail());
        assertTrue(PagerDutyFake.events().isEmpty(), "nothing echoed back to PagerDuty");
    }

    @Test
    void aResolveInPagerDutyRecordsWhoAndWhy() {
        String id = newIncident();
        String body = body("incident.resolved", id, Map.of("type", "merge_resolve_reason"));
        assertEquals(200, HttpEvents.status(deliver(body, sign(body, CURRENT), UUID.randomUUID().toString())));
        Incident incident = incidents.findAsStored(id).orElseThrow();
        assertEquals(IncidentStatus.RESOLVED, incident.status());
        assertEquals("Resolved in PagerDuty by Carol Oncall: merge_resolve_reason", incident.resolutionNotes());
        assertTrue(PagerDutyFake.events().isEmpty());
    }

    @Test
    void aRedeliveredWebhookIsAppliedOnce() {
        String id = newIncident();
        String body = body("incident.acknowledged", id, null);
        String webhookId = UUID.randomUUID().toString();
        assertEquals("applied", HttpEvents.body(deliver(body, sign(body, CURRENT), webhookId)).path("result").asText());
        Incident once = incidents.findAsStored(id).orElseThrow();
        assertEquals("duplicate", HttpEvents.body(deliver(body, sign(body, CURRENT), webhookId)).path("result").asText());
        assertEquals(once, incidents.findAsStored(id).orElseThrow());
    }

    /** The receipt is keyed on the signed event id: a captured delivery sent again under another header is not applied. */
    @Test
    void aReplayUnderANewWebhookIdIsStillADuplicate() {
        String id = newIncident();
        String body = body("incident.resolved", id, null);
        assertEquals("applied", HttpEvents.body(deliver(body, sign(body, CURRENT), "wh-1")).path("result").asText());
        JsonNode replay = deliver(body, sign(body, CURRENT), "wh-forged-" + UUID.randomUUID());
        assertEquals("duplicate", HttpEvents.body(replay).path("result").asText(), replay.toString());
    }

    /** A header that is not a signature at all is refused before any secret is read or HMAC computed. */
    @Test
    void aMalformedSignatureHeaderIsRefusedFirst() {
        String id = newIncident();
        String body = body("incident.resolved", id, null);
        for (String header : List.of("v1=abc", "sha256=" + "0".repeat(64), "junk")) {
            JsonNode answer = deliver(body, header, UUID.randomUUID().toString());
            assertEquals(401, HttpEvents.status(answer), answer.toString());
            assertEquals("must be v1=<64 hex digits> (PagerDuty webhooks v3)", HttpEvents.body(answer)
                    .path("problems").get(0).path("message").asText(), answer.toString());
        }
        assertEquals(IncidentStatus.TRIGGERED, incidents.findAsStored(id).orElseThrow().status());
    }

    /** A signed delivery older than MAX_EVENT_AGE (its receipt may be gone) is refused, 400 naming occurred_at. */
    @Test
    void aStaleDeliveryIsRefused() {
        String id = newIncident();
        String body = body("incident.acknowledged", id, null);
        clock.set(java.time.Instant.parse("2026-11-26T18:05:01Z")); // occurred 12:05, six hours and a second ago
        JsonNode answer = deliver(body, sign(body, CURRENT), UUID.randomUUID().toString());
        assertEquals(400, HttpEvents.status(answer), answer.toString());
        assertEquals("event.occurred_at", HttpEvents.body(answer).path("problems").get(0).path("field").asText());
        assertEquals(IncidentStatus.TRIGGERED, incidents.findAsStored(id).orElseThrow().status());
        String undated = body.replace("\"occurred_at\":\"2026-11-26T12:05:00.000Z\",", "");
        JsonNode noDate = deliver(undated, sign(undated, CURRENT), UUID.randomUUID().toString());
        assertEquals(400, HttpEvents.status(noDate), noDate.toString());
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItsSignatureIsChecked() {
        String id = newIncident();
        Incident before = incidents.findAsStored(id).orElseThrow();
        String small = body("incident.resolved", id, null);
        // a validly signed body, padded just over the limit: refused for its size, whatever its signature
        String large = small.substring(0, small.length() - 1) + ",\"pad\":\""
                + "x".repeat(io.tocsin.api.BodyLimit.MAX_WEBHOOK_BODY_BYTES - small.length()) + "\"}";
        assertEquals(io.tocsin.api.BodyLimit.MAX_WEBHOOK_BODY_BYTES + 9, large.getBytes(StandardCharsets.UTF_8).length);
        JsonNode answer = deliver(large, sign(large, CURRENT), UUID.randomUUID().toString());
        assertEquals(413, HttpEvents.status(answer));
        assertEquals("payload_too_large", HttpEvents.body(answer).path("error").asText());
        assertEquals("(body)", HttpEvents.body(answer).path("problems").get(0).path("field").asText());
        assertEquals(413, HttpEvents.status(deliver(large, "v1=forged", UUID.randomUUID().toString())));
        assertEquals(before, incidents.findAsStored(id).orElseThrow(), "nothing changed");
        // at the limit exactly, the body is read (and applied)
        String atLimit = small.substring(0, small.length() - 1) + ",\"pad\":\""
                + "x".repeat(io.tocsin.api.BodyLimit.MAX_WEBHOOK_BODY_BYTES - small.length() - 9) + "\"}";
        assertEquals(io.tocsin.api.BodyLimit.MAX_WEBHOOK_BODY_BYTES, atLimit.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(200, HttpEvents.status(deliver(atLimit, sign(atLimit, CURRENT), UUID.randomUUID().toString())));
    }

    @Test
    void forgedStaleAndMissingSignaturesAreRejectedAndChangeNothing() {
        String id = newIncident();
        Incident before = incidents.findAsStored(id).orElseThrow();
        String body = body("incident.resolved", id, null);
        String tampered = body.replace("Carol Oncall", "Mallory");
        List<String> bad = List.of(sign(body, new Secret("guessed-secret")), sign(body, OLD), sign(body, CURRENT) + "00",
                "v1=zz", "v0=" + sign(body, CURRENT).substring(3), "");
        for (String signature : bad) {
            JsonNode answer = deliver(body, signature, UUID.randomUUID().toString());
            assertEquals(401, HttpEvents.status(answer), signature);
            assertEquals("x-pagerduty-signature", HttpEvents.body(answer).path("problems").get(0).path("field").asText());
        }
        assertEquals(401, HttpEvents.status(deliver(tampered, sign(body, CURRENT), UUID.randomUUID().toString())),
                "a signature of another body");
        assertEquals(401, HttpEvents.status(deliver(body, null, UUID.randomUUID().toString())), "no signature");
        assertEquals(before, incidents.findAsStored(id).orElseThrow(), "nothing changed");
    }

    @Test
    void duringRotationAHeaderWithTwoSignaturesIsAccepted() {
        String id = newIncident();
        String body = body("incident.acknowledged", id, null);
        String header = sign(body, OLD) + "," + sign(body, CURRENT);
        assertEquals(200, HttpEvents.status(deliver(body, header, UUID.randomUUID().toString())));
        assertEquals(IncidentStatus.ACKNOWLEDGED, incidents.findAsStored(id).orElseThrow().status());
    }

    @Test
    void incidentsTocsinDidNotCreateAndOtherEventTypesAreIgnored() {
        String foreign = body("incident.acknowledged", "someone-elses-key", null);
        assertEquals("not_ours", HttpEvents.body(deliver(foreign, sign(foreign, CURRENT),
                UUID.randomUUID().toString())).path("result").asText());
        String annotated = body("incident.annotated", newIncident(), null);
        assertEquals("ignored", HttpEvents.body(deliver(annotated, sign(annotated, CURRENT),
                UUID.randomUUID().toString())).path("result").asText());
    }

    @Test
    void signaturesAreComparedOverTheRawBytes() {
        byte[] body = "{\"event\":{}}".getBytes(StandardCharsets.UTF_8);
        assertTrue(WebhookSignature.verify(body, WebhookSignature.sign(body, CURRENT), List.of(CURRENT)));
        assertFalse(WebhookSignature.verify("{\"event\": {}}".getBytes(StandardCharsets.UTF_8),
                WebhookSignature.sign(body, CURRENT), List.of(CURRENT)), "whitespace matters");
        assertFalse(WebhookSignature.verify(body, WebhookSignature.sign(body, CURRENT), List.of()), "no secret");
    }
}
