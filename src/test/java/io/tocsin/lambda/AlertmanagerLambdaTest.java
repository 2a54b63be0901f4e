package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;

/** Through the real Funqy Lambda path. */
@QuarkusTest
@TestProfile(Exports.Alertmanager.class)
class AlertmanagerLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode sample(String path) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Projects.root().resolve("events/" + path)));
    }

    @Test
    void firingThenResolvedOverApiGateway() throws Exception {
        PagerDutyFake.reset();
        String fingerprint = UUID.randomUUID().toString();
        ObjectNode firing = sample("alertmanager/firing.json");
        ((ObjectNode) firing.path("alerts").get(0)).put("fingerprint", fingerprint);
        JsonNode created = LambdaCalls.invoke(HttpEvents.post("/alertmanager", java.util.Map.of(), firing.toString()));
        assertEquals(200, HttpEvents.status(created));
        JsonNode first = HttpEvents.body(created).path("alerts").get(0);
        assertEquals("created", first.path("status").asText(), created.toString());
        String id = first.path("incident_id").asText();
        assertEquals("critical", PagerDutyFake.eventsFor(id).get(0).at("/payload/severity").asText());

        ObjectNode resolved = sample("alertmanager/resolved.json");
        ((ObjectNode) resolved.path("alerts").get(0)).put("fingerprint", fingerprint);
        JsonNode done = LambdaCalls.invoke(resolved);
        assertEquals("resolved", done.path("alerts").get(0).path("status").asText(), done.toString());
        assertEquals("resolve", PagerDutyFake.eventsFor(id).get(PagerDutyFake.eventsFor(id).size() - 1).path("event_action").asText());

        ObjectNode version3 = JSON.createObjectNode().put("version", "3");
        version3.putArray("alerts");
        JsonNode wrongVersion = LambdaCalls.invoke(version3);
        assertEquals("version", wrongVersion.path("problems").get(0).path("field").asText());
    }
}
