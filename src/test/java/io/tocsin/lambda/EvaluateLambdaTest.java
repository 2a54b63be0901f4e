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
@TestProfile(Exports.Evaluate.class)
class EvaluateLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode sample(String path) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Projects.root().resolve("events/" + path)));
    }

    @Test
    void samplesRaiseTheirRules() throws Exception {
        ObjectNode samples = sample("evaluate/direct.json").put("source", "eval-" + UUID.randomUUID());
        JsonNode answer = LambdaCalls.invoke(samples);
        assertEquals(3, answer.path("fired").size(), answer.toString());
        assertEquals("error_rate_critical", answer.path("fired").get(0).path("rule").asText());
    }
}
