package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.PagerDutyFake;

@QuarkusTest
@TestProfile(Exports.Resolve.class)
class ResolveLambdaTest {

    @Inject
    IngestPipeline pipeline;

    @Test
    void resolvesThroughTheLambdaPathWithNotesRequired() {
        PagerDutyFake.reset();
        String id = LambdaCalls.newIncident(pipeline);
        JsonNode blank = LambdaCalls.invoke(HttpEvents.post("/incidents/" + id + "/resolve", Map.of("incident_id", id),
                "{\"resolution_notes\":\"\"}"));
        assertEquals(400, HttpEvents.status(blank));
        assertEquals("resolution_notes", HttpEvents.body(blank).path("problems").get(0).path("field").asText());

        JsonNode done = LambdaCalls.invoke(HttpEvents.post("/incidents/" + id + "/resolve", Map.of("incident_id", id),
                "{\"resolution_notes\":\"failed over to the replica\",\"resolved_by\":\"bob\"}"));
        assertEquals(200, HttpEvents.status(done));
        assertTrue(HttpEvents.body(done).path("resolved").asBoolean());
        assertEquals("resolve", PagerDutyFake.eventsFor(id).get(PagerDutyFake.eventsFor(id).size() - 1).path("event_action").asText());
    }
}
