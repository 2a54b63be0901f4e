package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.incident.IncidentStore;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.support.HttpEvents;

@QuarkusTest
@TestProfile(Exports.Dashboard.class)
class DashboardLambdaTest {

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;

    @Test
    void servesTheHtmlPageThroughTheLambdaPath() {
        String id = LambdaCalls.newIncident(pipeline);
        String source = incidents.findAsStored(id).orElseThrow().alert().source();
        ObjectNode event = HttpEvents.request("GET", "/dashboard", Map.of(), Map.of(), null);
        event.putObject("queryStringParameters").put("source", source).put("severity", "critical");
        JsonNode answer = LambdaCalls.invoke(event);
        assertEquals(200, answer.path("statusCode").asInt(), answer.toString());
        assertEquals("text/html; charset=utf-8", answer.path("headers").path("content-type").asText());
        String html = answer.path("body").asText();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<tr data-id=\"" + id + "\""), "the incident is in the history: " + html);
        assertTrue(html.contains("<tr id=\"incident-" + id + "\""), "and among the open incidents: " + html);
    }

    @Test
    void servesTheCustomWidgetThroughTheLambdaPath() throws Exception {
        JsonNode answer = LambdaCalls.invoke(EvaluateLambdaTest.sample("dashboard/cloudwatch-custom-widget.json"));
        assertTrue(answer.isTextual(), answer.getNodeType().toString());
        assertTrue(answer.asText().startsWith("<!DOCTYPE html>"), answer.asText());
        assertTrue(answer.asText().contains("id=\"mtta-chart\""), answer.asText());
    }
}
