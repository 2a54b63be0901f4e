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
        assertEquals("bob", HttpEvents.body(done).path("resolved_by").asText());
        // issue 23: who AWS authenticated, next to the typed name
        assertEquals(HttpEvents.IAM_PRINCIPAL, HttpEvents.body(done).path("resolved_actor").asText());
        assertEquals("resolve", PagerDutyFake.eventsFor(id).get(PagerDutyFake.eventsFor(id).size() - 1).path("event_action").asText());
    }

    @Test
    void anApiGatewayRequestWithoutAnAuthorizerContextIsRefusedAndChangesNothing() {
        String id = LambdaCalls.newIncident(pipeline);
        var anonymous = HttpEvents.post("/incidents/" + id + "/resolve", Map.of("incident_id", id),
                "{\"resolution_notes\":\"x\"}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) anonymous.get("requestContext")).remove("authorizer");
        assertEquals(403, HttpEvents.status(LambdaCalls.invoke(anonymous)));
        // a REST API (payload 1.0) request carries the principal in requestContext.identity
        var rest = HttpEvents.post("/incidents/" + id + "/resolve", Map.of("incident_id", id),
                "{\"resolution_notes\":\"restarted\"}");
        var context = (com.fasterxml.jackson.databind.node.ObjectNode) rest.get("requestContext");
        context.remove("authorizer");
        context.putObject("identity").put("userArn", "arn:aws:iam::123456789012:user/carol");
        JsonNode done = HttpEvents.body(LambdaCalls.invoke(rest));
        assertEquals("resolved", done.path("status").asText(), done.toString());
        assertEquals("arn:aws:iam::123456789012:user/carol", done.path("resolved_actor").asText());
    }
}
