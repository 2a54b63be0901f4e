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
    @Inject
    io.tocsin.incident.IncidentStore incidents;

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

    /** Issue 23: the caller AWS authenticated is kept next to the typed name; no authorizer context, no change. */
    @Test
    void recordsTheAuthenticatedCallerAndRefusesARequestWithoutOne() {
        String id = LambdaCalls.newIncident(pipeline);
        var request = HttpEvents.post("/incidents/" + id + "/acknowledge", Map.of("incident_id", id),
                "{\"acknowledged_by\":\"alice\"}");
        var anonymous = request.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) anonymous.get("requestContext")).remove("authorizer");
        JsonNode refused = LambdaCalls.invoke(anonymous);
        assertEquals(403, HttpEvents.status(refused), refused.toString());
        assertEquals("requestContext.authorizer",
                HttpEvents.body(refused).path("problems").get(0).path("field").asText());
        assertEquals(io.tocsin.incident.IncidentStatus.TRIGGERED, incidents.findWithDuplicates(id).orElseThrow().status(),
                "nothing changed");

        JsonNode done = HttpEvents.body(LambdaCalls.invoke(request));
        assertEquals("alice", done.path("acknowledged_by").asText(), done.toString());
        assertEquals(HttpEvents.IAM_PRINCIPAL, done.path("acknowledged_actor").asText(), done.toString());

        String direct = LambdaCalls.newIncident(pipeline);
        JsonNode byDirectCall = LambdaCalls.invoke(new ObjectMapper().createObjectNode()
                .put("incident_id", direct).put("acknowledged_by", "bob"));
        assertEquals("bob", byDirectCall.path("acknowledged_by").asText());
        assertEquals(io.tocsin.api.Actor.DIRECT_INVOKE, byDirectCall.path("acknowledged_actor").asText());
    }
}
