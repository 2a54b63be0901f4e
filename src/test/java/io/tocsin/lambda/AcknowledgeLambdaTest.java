package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.PagerDutyFake;

@QuarkusTest
@TestProfile(Exports.Acknowledge.class)
class AcknowledgeLambdaTest {

    @Inject
    IngestPipeline pipeline;

    @Test
    void acknowledgesThroughTheLambdaPathAndTellsPagerDuty() {
        PagerDutyFake.reset();
        String id = LambdaCalls.newIncident(pipeline);
        JsonNode answer = LambdaCalls.invoke(new ObjectMapper().createObjectNode().put("incident_id", id)
                .put("acknowledged_by", "alice"));
        assertTrue(answer.path("acknowledged").asBoolean(), answer.toString());
        assertEquals("acknowledge", PagerDutyFake.eventsFor(id).get(PagerDutyFake.eventsFor(id).size() - 1).path("event_action").asText());

        JsonNode notFound = LambdaCalls.invoke(HttpEvents.post("/incidents/x/acknowledge", Map.of("incident_id", "x"),
                "{}"));
        assertEquals(404, HttpEvents.status(notFound));
    }
}
