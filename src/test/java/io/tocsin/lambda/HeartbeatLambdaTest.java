package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.Projects;

/** Through the real Funqy Lambda path. */
@QuarkusTest
@TestProfile(Exports.Heartbeat.class)
class HeartbeatLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pingsOverApiGatewayAndFromAlertmanagerAndRejectsABadName() throws Exception {
        String name = "lambda-" + UUID.randomUUID();
        ObjectNode ping = (ObjectNode) JSON.readTree(Files.readString(Projects.root()
                .resolve("events/heartbeat/ping-api-gateway-http.json")));
        ping.put("rawPath", "/heartbeats/" + name + "/ping").putObject("pathParameters").put("name", name);
        JsonNode first = LambdaCalls.invoke(ping);
        assertEquals(200, HttpEvents.status(first), first.toString());
        assertTrue(HttpEvents.body(first).path("created").asBoolean());

        ObjectNode watchdog = (ObjectNode) JSON.readTree(Files.readString(Projects.root()
                .resolve("events/heartbeat/watchdog-alertmanager.json")));
        watchdog.put("name", name);
        JsonNode second = LambdaCalls.invoke(watchdog);
        assertEquals(2, second.path("pings").asInt(), second.toString());

        JsonNode bad = LambdaCalls.invoke(HttpEvents.request("PUT", "/heartbeats/x", Map.of("name", "bad name"),
                Map.of(), "{\"interval\":\"1h\",\"grace\":\"5m\"}"));
        assertEquals(400, HttpEvents.status(bad));
        assertEquals("name", HttpEvents.body(bad).path("problems").get(0).path("field").asText());
    }
}
