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
@TestProfile(Exports.Maintenance.class)
class MaintenanceLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode sample(String path) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Projects.root().resolve("events/" + path)));
    }

    @Test
    void createsAWindowAndRejectsABadOne() throws Exception {
        ObjectNode window = sample("maintenance/create.json");
        window.put("start", "2030-01-01T00:00:00Z").put("end", "2030-01-01T02:00:00Z");
        window.putArray("sources").add("lambda-" + UUID.randomUUID());
        JsonNode created = LambdaCalls.invoke(HttpEvents.post("/maintenance", java.util.Map.of(), window.toString()));
        assertEquals(201, HttpEvents.status(created), created.toString());
        assertEquals("2030-01-01T02:00:00Z", HttpEvents.body(created).path("end").asText());

        window.remove("end");
        JsonNode bad = LambdaCalls.invoke(window);
        assertEquals("end", bad.path("problems").get(0).path("field").asText());
    }
}
