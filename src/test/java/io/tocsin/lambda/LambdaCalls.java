package io.tocsin.lambda;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;

/** Invoking the exported function through Quarkus' mock Lambda event server, as AWS Lambda would. */
final class LambdaCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaCalls() {
    }

    static JsonNode invoke(Object event) {
        String answer = given().contentType("application/json").accept("application/json").body(event.toString())
                .when().post().then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(answer);
        } catch (Exception e) {
            throw new AssertionError(answer, e);
        }
    }

    static String newIncident(IngestPipeline pipeline) {
        ObjectNode alert = JSON.createObjectNode().put("severity", "critical").put("title", "Service down")
                .put("source", "lambda-" + UUID.randomUUID());
        return assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
    }
}
