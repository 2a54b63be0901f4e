package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.ingest.IngestPipeline;

@QuarkusTest
@TestProfile(Exports.Incidents.class)
class IncidentsLambdaTest {

    @Inject
    IngestPipeline pipeline;

    @Test
    void listsHistoryThroughTheLambdaPath() {
        String id = LambdaCalls.newIncident(pipeline);
        JsonNode answer = LambdaCalls.invoke(new ObjectMapper().createObjectNode().put("limit", 100)
                .put("status", "triggered"));
        boolean listed = false;
        for (JsonNode incident : answer.path("incidents")) {
            listed |= id.equals(incident.path("incident_id").asText());
        }
        assertEquals(true, listed, answer.toString());
    }
}
