package io.tocsin.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.PagerDutyFake;

/** The ingest function through the real Funqy Lambda path (Quarkus' mock event server), against dynalite. */
@QuarkusTest
class IngestLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IncidentStore incidents;
    @Inject
    software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo;

    @BeforeEach
    void resetPagerDuty() {
        PagerDutyFake.reset();
    }

    private static JsonPath invoke(Object event) {
        return given().contentType("application/json").accept("application/json").body(event)
                .when().post().then().statusCode(200).extract().jsonPath();
    }

    @Test
    void directInvocationCreatesTheIncidentAndPagesOnce() {
        String source = "payments-" + UUID.randomUUID();
        JsonPath answer = invoke(Map.of("severity", "Critical", "title", "Payment gateway down",
                "description", "5xx from the gateway", "source", source,
                "metadata", Map.of("region", "eu-west-1", "attempts", 3)));

        assertEquals("created", answer.getString("status"));
        String id = answer.getString("incident_id");
        assertNotNull(id);
        assertEquals("delivered", answer.getString("delivery"));

        var incident = incidents.findAsStored(id).orElseThrow();
        assertEquals(IncidentStatus.TRIGGERED, incident.status());
        assertEquals(DeliveryState.DELIVERED, incident.delivery().state());
        assertEquals(source, incident.alert().source());
        assertEquals(3, incident.alert().metadata().path("attempts").asInt());

        List<JsonNode> events = PagerDutyFake.eventsFor(id);
        assertEquals(1, events.size());
        JsonNode event = events.get(0);
        assertEquals("trigger", event.path("event_action").asText());
        assertEquals("critical", event.path("payload").path("severity").asText());
        assertEquals("Payment gateway down", event.path("payload").path("summary").asText());
        assertEquals(source, event.path("payload").path("source").asText());
        assertEquals("eu-west-1", event.path("payload").path("custom_details").path("metadata").path("region").asText());
    }

    @Test
    void apiGatewayAnswers201ThenTheDuplicateAnswers200WithTheOriginal() throws Exception {
        String body = JSON.writeValueAsString(Map.of("severity", "medium", "title", "Slow queries on orders",
                "source", "orders-" + UUID.randomUUID(), "dedup_key", "orders-slow-" + UUID.randomUUID()));
        JsonPath first = invoke(httpApiEvent(body));
        assertEquals(201, first.getInt("statusCode"));
        JsonNode created = JSON.readTree(first.getString("body"));
        assertEquals("created", created.path("status").asText());
        assertEquals("application/json", first.getString("headers.content-type"));

        JsonPath second = invoke(httpApiEvent(body));
        assertEquals(200, second.getInt("statusCode"));
        JsonNode suppressed = JSON.readTree(second.getString("body"));
        assertEquals("suppressed", suppressed.path("status").asText());
        assertEquals("duplicate", suppressed.path("reason").asText());
        assertEquals(created.path("incident_id").asText(), suppressed.path("incident_id").asText());
        assertEquals(1, PagerDutyFake.eventsFor(created.path("incident_id").asText()).size());
        assertEquals(1, incidents.findWithDuplicates(created.path("incident_id").asText()).orElseThrow().duplicateCount());
    }

    /** Issue 23: an event on the IAM route without an authorizer context did not come through the signed API. */
    @Test
    void anIamRouteRequestWithoutAnAuthorizerContextIs403AndStoresNothing() throws Exception {
        long writesBefore = writes();
        Map<String, Object> event = new java.util.HashMap<>(httpApiEvent(
                "{\"severity\": \"critical\", \"title\": \"t\", \"source\": \"s\"}"));
        Map<String, Object> context = new java.util.HashMap<>((Map<String, Object>) event.get("requestContext"));
        context.remove("authorizer");
        event.put("requestContext", context);
        JsonPath answer = invoke(event);
        assertEquals(403, answer.getInt("statusCode"));
        assertEquals("requestContext.authorizer",
                JSON.readTree(answer.getString("body")).path("problems").get(0).path("field").asText());
        assertEquals(writesBefore, writes());
        assertTrue(PagerDutyFake.events().isEmpty());
    }

    @Test
    void malformedJsonOverApiGatewayIs400AndStoresNothing() throws Exception {
        long writesBefore = writes();
        JsonPath answer = invoke(httpApiEvent("{\"severity\": \"critical\", \"title\": "));
        assertEquals(400, answer.getInt("statusCode"));
        JsonNode body = JSON.readTree(answer.getString("body"));
        assertEquals("malformed_json", body.path("error").asText());
        assertEquals("(body)", body.path("problems").get(0).path("field").asText());
        assertEquals(writesBefore, writes());
        assertTrue(PagerDutyFake.events().isEmpty());
    }

    @Test
    void everyProblemIsNamedByFieldInOneAnswer() throws Exception {
        long writesBefore = writes();
        String body = JSON.writeValueAsString(Map.of("severity", "urgent", "title", "x".repeat(1025),
                "metadata", List.of(1, 2), "dedup_key", "k".repeat(256)));
        JsonPath answer = invoke(httpApiEvent(body));
        assertEquals(400, answer.getInt("statusCode"));
        JsonNode error = JSON.readTree(answer.getString("body"));
        assertEquals("invalid_alert", error.path("error").asText());
        Map<String, String> problems = new java.util.TreeMap<>();
        error.path("problems").forEach(p -> problems.put(p.path("field").asText(), p.path("message").asText()));
        assertEquals(List.of("dedup_key", "metadata", "severity", "source", "title"), List.copyOf(problems.keySet()));
        assertTrue(problems.get("severity").contains("critical, high, medium, low"), problems.get("severity"));
        assertTrue(problems.get("title").contains("1025 characters; at most 1024"), problems.get("title"));
        assertTrue(problems.get("dedup_key").contains("at most 255"), problems.get("dedup_key"));
        assertTrue(problems.get("metadata").contains("must be a JSON object"), problems.get("metadata"));
        assertEquals(writesBefore, writes());
    }

    @Test
    void directInvocationOfAnInvalidAlertAnswersTheProblems() {
        JsonPath answer = invoke(Map.of("title", "no severity", "source", "svc"));
        assertEquals("invalid_alert", answer.getString("error"));
        assertEquals("severity", answer.getString("problems[0].field"));
        assertNull(answer.get("status"));
    }

    private static long writes() {
        return DynamoRequestMeter.total("PutItem") + DynamoRequestMeter.total("UpdateItem");
    }

    @Test
    void aBodyMarkedBase64ThatIsNotBase64Is400NamingTheBodyAndStoresNothing() throws Exception {
        String alert = JSON.writeValueAsString(Map.of("severity", "high", "title", "base64 flag on plain JSON",
                "source", "b64-" + UUID.randomUUID()));
        Map<String, Object> event = new java.util.HashMap<>(httpApiEvent(alert));
        event.put("isBase64Encoded", true); // an AWS Powertools sample event does this
        long before = io.tocsin.support.TableItems.count(dynamo, io.tocsin.support.DynaliteResource.TABLE);
        JsonPath answer = invoke(event);
        assertEquals(400, answer.getInt("statusCode"));
        JsonNode body = JSON.readTree(answer.getString("body"));
        assertEquals("malformed_body", body.path("error").asText());
        assertEquals("body", body.path("problems").get(0).path("field").asText());
        assertEquals(before, io.tocsin.support.TableItems.count(dynamo, io.tocsin.support.DynaliteResource.TABLE));

        event.put("body", java.util.Base64.getEncoder().encodeToString(alert.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(201, invoke(event).getInt("statusCode"));
    }

    static Map<String, Object> httpApiEvent(String body) {
        return Map.of("version", "2.0", "routeKey", "POST /ingest", "rawPath", "/ingest",
                "headers", Map.of("content-type", "application/json"),
                "requestContext", Map.of("http", Map.of("method", "POST", "path", "/ingest", "sourceIp", "203.0.113.9"),
                        "requestId", UUID.randomUUID().toString(), "stage", "$default",
                        "authorizer", Map.of("iam", Map.of("userArn", "arn:aws:iam::123456789012:user/sender"))),
                "body", body, "isBase64Encoded", false);
    }
}
