package io.tocsin.incident;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.lambda.Exports;

/** The incident function through the real Funqy Lambda path. */
@QuarkusTest
@TestProfile(Exports.Incident.class)
class IncidentLambdaTest {


    @Inject
    IngestPipeline pipeline;

    @Test
    void readsAnIncidentItsDeliveryAndDuplicates() {
        ObjectNode alert = new ObjectMapper().createObjectNode().put("severity", "high").put("title", "Cache failure")
                .put("source", "cache-" + UUID.randomUUID());
        String id = assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
        pipeline.ingest(alert, 100);

        JsonPath answer = given().contentType("application/json").body(Map.of("incident_id", id))
                .when().post().then().statusCode(200).extract().jsonPath();
        assertEquals(id, answer.getString("incident_id"));
        assertEquals("triggered", answer.getString("status"));
        assertEquals("high", answer.getString("severity"));
        assertEquals("Cache failure", answer.getString("title"));
        assertEquals(1, answer.getInt("duplicate_count"));
        assertEquals("delivered", answer.getString("delivery.state"));
        assertEquals(1, answer.getInt("escalation_level"));
    }

    @Test
    void anUnknownIdIsNotFound() {
        JsonPath answer = given().contentType("application/json").body(Map.of("incident_id", "nope"))
                .when().post().then().statusCode(200).extract().jsonPath();
        assertEquals("not_found", answer.getString("error"));
        assertEquals("incident_id", answer.getString("problems[0].field"));
    }
}
