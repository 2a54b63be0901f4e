package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.config.Secret;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.pagerduty.WebhookSignature;
import io.tocsin.support.HttpEvents;

@QuarkusTest
@TestProfile(Exports.Webhook.class)
class WebhookLambdaTest {

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;

    @Test
    void aSignedResolveWebhookResolvesThroughTheLambdaPath() {
        String id = LambdaCalls.newIncident(pipeline);
        String body = "{\"event\":{\"id\":\"01WH\",\"event_type\":\"incident.resolved\",\"resource_type\":\"incident\","
                + "\"occurred_at\":\"2026-11-26T12:00:00Z\",\"agent\":{\"summary\":\"Dana\"},\"data\":{\"incident_key\":\"" + id + "\",\"status\":\"resolved\"}}}";
        String signature = WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8),
                new Secret("whsec-current-0123456789"));
        JsonNode answer = LambdaCalls.invoke(HttpEvents.request("POST", "/pagerduty/webhook", Map.of(),
                Map.of("X-PagerDuty-Signature", signature, "X-Webhook-Id", "wh-" + id), body));
        assertEquals(200, HttpEvents.status(answer), answer.toString());
        assertEquals(IncidentStatus.RESOLVED, incidents.findAsStored(id).orElseThrow().status());
        assertEquals("Resolved in PagerDuty by Dana", incidents.findAsStored(id).orElseThrow().resolutionNotes());

        JsonNode unsigned = LambdaCalls.invoke(HttpEvents.request("POST", "/pagerduty/webhook", Map.of(), Map.of(), body));
        assertEquals(401, HttpEvents.status(unsigned));
    }

    @Test
    void aBodyMarkedBase64ThatIsNotBase64Is400NamingTheBodyNot500() {
        String id = LambdaCalls.newIncident(pipeline);
        String body = "{\"event\":{\"id\":\"01B64\",\"event_type\":\"incident.resolved\",\"occurred_at\":\"2026-11-26T12:00:00Z\","
                + "\"data\":{\"incident_key\":\""
                + id + "\"}}}";
        String signature = WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8),
                new Secret("whsec-current-0123456789"));
        var event = HttpEvents.request("POST", "/pagerduty/webhook", Map.of(),
                Map.of("X-PagerDuty-Signature", signature), body);
        event.put("isBase64Encoded", true); // as an AWS Powertools sample event has it: the body is plain JSON
        JsonNode answer = LambdaCalls.invoke(event);
        assertEquals(400, HttpEvents.status(answer), answer.toString());
        assertEquals("body", HttpEvents.body(answer).path("problems").get(0).path("field").asText());
        assertEquals(IncidentStatus.TRIGGERED, incidents.findAsStored(id).orElseThrow().status());

        event.put("body", java.util.Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        JsonNode decoded = LambdaCalls.invoke(event);
        assertEquals(200, HttpEvents.status(decoded), decoded.toString());
        assertEquals(IncidentStatus.RESOLVED, incidents.findAsStored(id).orElseThrow().status());
    }
}
